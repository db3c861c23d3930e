"""One import: read the ledgers, plan against the current snapshot, write the new one and its audit entry, all under
the store's lock. The command line and the import page both call `import_ledgers`."""

from collections.abc import Callable

import duckdb

from .. import settings
from ..auth import audit
from ..store.snapshot import Snapshot, SnapshotError, StoreIOError, os_error_text, read_table, verify
from ..store.store import SnapshotStore
from ..store.upgrade import upgrade_current
from .budget import Budget
from .columns import IMPORTABLE_TABLES
from .existing import Existing, remove_abandoned_workspaces
from .files import LedgerFile
from .plan import Planner, read_ledger
from .replacing import check_confirmation
from .result import ImportResult
from .writing import write_change

MODES = ("append", "replace")
# How long an import waits for another one to finish before it gives up.
WAIT_SECONDS = 30.0
# I/O failures while checking or writing: reported as StoreIOError in one sentence, never as a traceback.
IO_ERRORS = (OSError, duckdb.IOException)

Progress = Callable[[float, str], None]


def _quiet(fraction: float, message: str) -> None:
    """A progress callback that reports nothing."""


def import_ledgers(store: SnapshotStore, table: str, files: list[LedgerFile], *, mode: str = "append",
                   only_valid: bool = False, dry_run: bool = False, sheet: str | None = None,
                   progress: Progress = _quiet, wait_seconds: float = WAIT_SECONDS,
                   replace_confirmed: int | None = None, counties: tuple[str, ...] | None = None,
                   by: str | None = None, recheck: Callable[[], object] | None = None, via: str = "web",
                   audit_details: dict | None = None) -> ImportResult:
    """Import ledger files into a table as a new current snapshot, or with `dry_run` only report what would happen.

    A file with any invalid row rejects the import unless `only_valid`; problems that stop a whole file always do.
    A replace (not a dry run) needs `replace_confirmed`: the number of rows it removes, as the user confirmed it
    (ReplaceNotConfirmed otherwise, also when an import changed the table since).
    `counties` (county codes: the importing user's scope) restricts the rows to those counties: a township is then
    looked up among theirs, a row of another county is refused, and a replace replaces only their rows; None lets a
    ledger name any county of the snapshot (by its 县 column, or a township name found in one county only). `by`
    is recorded in the import history (default: the OS user).
    Another import in progress makes this one wait up to `wait_seconds`, then raise StoreBusy. The parent snapshot
    is the current one, verified (DamagedFile if it is damaged; with CURRENT missing, the newest that verifies:
    the result's notices say so). A disk that is full or read-only raises StoreIOError; nothing is changed then.
    `by` (who imports) is recorded in each of the manifest's import entries and in the audit entry (`via` the web or
    the cli, with `audit_details`), written under the store's lock as soon as CURRENT has moved, so that no change of
    CURRENT exists without its entry. `recheck` (who imports, read again:
    fupin.auth.acting) runs under the store's lock once the plan is made, before anything is written, and refuses
    by raising.
    Reading and checking the rows may take FUPIN_CHECK_TIMEOUT_S seconds, then CheckTimeout stops it (nothing is
    written); while rows are read `progress` is called every second or so (repeating itself if need be), so a page
    whose session has ended stops the check at its next Streamlit call.
    """
    if table not in IMPORTABLE_TABLES or mode not in MODES or not files:
        raise ValueError(f"cannot import {table!r} in mode {mode!r} from {len(files)} files")
    by = by or audit.os_user()
    budget = Budget(progress, settings.check_timeout_s())
    ledgers = _read(files, table, sheet, budget)
    parent = None
    try:
        remove_abandoned_workspaces()
        if dry_run:
            served = store.serve(fall_back=False)
            parent = served.snapshot
            _check_counties(parent, counties)
            with Existing(parent, table) as existing:
                planner = Planner(parent, table, mode, ledgers, existing, counties, by)
                result, _ = planner.plan(only_valid, True, budget.progress)
        else:
            with store.lock(wait_seconds):
                upgrade_current(store, lambda f, m: progress(0.1, m))   # a store of an older layout: first rewritten
                served = store.serve(fall_back=False)
                parent = served.snapshot
                verify(parent)   # every file hashed again: whatever the import reads, shares or copies is intact
                _check_counties(parent, counties)
                if mode == "replace":
                    check_confirmation(parent, table, replace_confirmed, counties)
                with Existing(parent, table) as existing:
                    planner = Planner(parent, table, mode, ledgers, existing, counties, by)
                    result, change = planner.plan(only_valid, False, budget.progress)
                    if change is not None:
                        if recheck is not None:
                            recheck()
                        result.snapshot = write_change(store, parent, change, progress)
                        _audit(store, parent, result, by, via, audit_details or {})
    except IO_ERRORS as e:
        raise StoreIOError(_failed(e, dry_run, parent)) from None
    except duckdb.Error:
        if parent is not None:
            verify(parent)   # a parent file damaged since it was verified: DamagedFile names it
        raise
    result.notices = served.notices
    progress(1.0, "完成")
    return result


def _audit(store: SnapshotStore, parent: Snapshot, result: ImportResult, by: str, via: str, details: dict) -> None:
    """The audit entry of an import that has just moved CURRENT; when it cannot be written CURRENT goes back to the
    parent, so that no change of CURRENT exists without its entry."""
    try:
        audit.record_import(store.root, by, result, via, **details)
    except OSError as e:
        store.point_current(parent.id)
        raise StoreIOError(f"导入失败：审计日志无法写入（{os_error_text(e)}）。没有做任何更改，当前快照仍是 {parent.id}") from None


def _check_counties(snapshot: Snapshot, counties: tuple[str, ...] | None) -> None:
    """Raise SnapshotError unless every county of an import's scope is in the snapshot's counties table."""
    if counties is None:
        return
    known = {row["county_code"] for row in read_table(snapshot, "counties").to_pylist()}
    unknown = sorted(set(counties) - known) if counties else ["（空）"]
    if unknown:
        raise SnapshotError(f"导入范围中的县不在快照的参考区划中: {'、'.join(unknown)}")


def _failed(error: BaseException, dry_run: bool, parent: Snapshot | None) -> str:
    """One sentence: what failed, and that nothing changed."""
    what = "预检" if dry_run else "导入"
    kept = f"，当前快照仍是 {parent.id}" if parent else ""
    return f"{what}失败：{os_error_text(error)}。没有做任何更改{kept}"


def _read(files: list[LedgerFile], table: str, sheet: str | None, budget: Budget):
    ledgers = []
    for n, file in enumerate(files):
        budget.progress(0.1 * n / len(files), f"读取 {file.name}")
        ledgers.append(read_ledger(file, table, sheet, budget))
    return ledgers
