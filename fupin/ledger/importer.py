"""One import: read the ledgers, plan against the current snapshot and write the new one, all under the store's lock."""

from collections.abc import Callable

from ..snapshots import SnapshotStore
from .columns import IMPORTABLE_TABLES
from .files import LedgerFile
from .plan import Planner, read_ledger
from .result import ImportResult
from .writing import write_change

MODES = ("append", "replace")
# How long an import waits for another one to finish before it gives up.
WAIT_SECONDS = 30.0

Progress = Callable[[float, str], None]


def _quiet(fraction: float, message: str) -> None:
    """A progress callback that reports nothing."""


def import_ledgers(store: SnapshotStore, table: str, files: list[LedgerFile], *, mode: str = "append",
                   only_valid: bool = False, dry_run: bool = False, sheet: str | None = None,
                   progress: Progress = _quiet, wait_seconds: float = WAIT_SECONDS) -> ImportResult:
    """Import ledger files into a table as a new current snapshot, or with `dry_run` only report what would happen.

    A file with any invalid row rejects the import unless `only_valid`; problems that stop a whole file always do.
    Another import in progress makes this one wait up to `wait_seconds`, then raise StoreBusy.
    """
    if table not in IMPORTABLE_TABLES or mode not in MODES or not files:
        raise ValueError(f"cannot import {table!r} in mode {mode!r} from {len(files)} files")
    if dry_run:
        result, _ = Planner(store.current(), table, mode, _read(files, table, sheet, progress)).plan(
            only_valid, True, progress)
    else:
        with store.lock(wait_seconds):
            parent = store.current()
            result, change = Planner(parent, table, mode, _read(files, table, sheet, progress)).plan(
                only_valid, False, progress)
            if change is not None:
                result.snapshot = write_change(store, parent, change, progress)
    progress(1.0, "完成")
    return result


def _read(files: list[LedgerFile], table: str, sheet: str | None, progress: Progress):
    ledgers = []
    for n, file in enumerate(files):
        progress(0.1 * n / len(files), f"读取 {file.name}")
        ledgers.append(read_ledger(file, table, sheet))
    return ledgers
