"""The snapshot history staff see after importing: as-of dates, row counts, source files; and going back to one."""

from collections import Counter
from collections.abc import Callable

import pandas as pd

from ..auth import audit
from ..store.snapshot import StoreIOError, os_error_text
from ..store.store import SnapshotStore
from ..text.fmt import beijing_time, snapshot_name
from ..text.i18n import t
from .columns import TABLE_LABELS

COUNTED_TABLES = ("purchases", "inspections", "cooperatives", "targets", "offers", "buyers", "certified_products",
                  "outlets", "channel_sales", "events")
# The history's columns and the i18n key of each one's header (the id stays out of sight: `snapshot`).
HEADERS = {"name": "history_name", "current": "history_current", "created": "history_created",
           "source": "history_source", "files": "history_files",
           **{table: f"history_{table}" for table in COUNTED_TABLES}}
SWITCH_WAIT_SECONDS = 5.0


def _source(manifest: dict, lang: str) -> str:
    """Where a snapshot came from: the demo, or an import of a ledger (append or replace)."""
    source = manifest.get("source") or {}
    kind = source.get("kind")
    if kind == "import":
        mode = "replace" if source.get("mode") == "replace" else "append"
        table = source.get("table")
        return t("history_import", lang, table=t(f"table_{table}", lang) if table in TABLE_LABELS else "",
                 mode=t(f"mode_{mode}", lang))
    return t("history_demo", lang) if kind == "demo" else kind or ""


def snapshot_history(store: SnapshotStore, lang: str = "zh") -> pd.DataFrame:
    """Every complete snapshot, newest first: its id (`snapshot`, for choosing it), the name people know it by
    (2020年12月31日数据（12月7日 08:15 更新）), whether it is current, its source, row counts and imported files."""
    current = store.current_id()
    snapshots = list(reversed(store.list()))
    rows = [{
        "snapshot": s.id,
        "name": name,
        "current": s.id == current,
        "created": beijing_time(s.manifest["created_at"]),
        "source": _source(s.manifest, lang) + (t("history_needs_upgrade", lang) if s.needs_upgrade else ""),
        "files": "、".join((s.manifest.get("source") or {}).get("files", [])),
        **{name: s.rows(name) for name in COUNTED_TABLES},
    } for s, name in zip(snapshots, _distinct_names(snapshots, lang))]
    return pd.DataFrame(rows, columns=["snapshot", *HEADERS])


def _distinct_names(snapshots: list, lang: str) -> list[str]:
    """Each snapshot's name, to the second when two were made in one minute, and numbered in the order they were made
    (newest first here: the highest number) when even the second is shared."""
    minutes = Counter(snapshot_name(s, lang) for s in snapshots)
    names = [snapshot_name(s, lang, seconds=minutes[snapshot_name(s, lang)] > 1) for s in snapshots]
    shared = Counter(names)
    left = dict(shared)
    numbered = []
    for name in names:
        numbered.append(f"{name} ({left[name]})" if shared[name] > 1 else name)
        left[name] -= 1
    return numbered


def history_table(history: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The history as the import page shows it: without ids, headers in the reader's language."""
    return history[list(HEADERS)].rename(columns={name: t(key, lang) for name, key in HEADERS.items()})


def switch_current(store: SnapshotStore, snapshot_id: str, wait_seconds: float = SWITCH_WAIT_SECONDS,
                   recheck: Callable[[], object] | None = None, by: str | None = None, via: str = "web") -> None:
    """Make an older (or newer) snapshot the one the dashboard shows, once no import is writing; `recheck` (who
    switches, read again: fupin.auth.acting) runs under the store's lock first and refuses by raising. The audit
    entry naming `by` is written under the same lock; when it cannot be, CURRENT goes back."""
    with store.lock(wait_seconds):
        if recheck is not None:
            recheck()
        before = store.current_id()
        store.set_current(snapshot_id)
        try:
            audit.record_switch(store.root, by or audit.os_user(), before, snapshot_id, via)
        except OSError as e:
            if before is not None:
                store.point_current(before)
            raise StoreIOError(f"切换失败：审计日志无法写入（{os_error_text(e)}）。没有做任何更改") from None
