"""The snapshot history staff see after importing: as-of dates, row counts, source files; and going back to one."""

from collections.abc import Callable

import pandas as pd

from ..auth import audit
from ..store.snapshot import StoreIOError, os_error_text
from ..store.store import SnapshotStore
from ..text.fmt import beijing_time
from .columns import TABLE_LABELS

COUNTED_TABLES = ("purchases", "inspections", "cooperatives", "targets", "offers", "buyers", "certified_products",
                  "outlets", "channel_sales", "events")
LABELS = {"snapshot": "快照", "current": "当前", "as_of": "截至日期", "created": "生成时间（北京时间）",
          "source": "来源", "files": "导入文件", "purchases": "采购记录", "inspections": "抽检批次",
          "cooperatives": "合作社", "targets": "目标", "offers": "待销农产品", "buyers": "采购单位",
          "certified_products": "认定产品", "outlets": "三专网点", "channel_sales": "销售记录", "events": "展销活动"}
SOURCE_KINDS = {"demo": "演示数据", "import": "导入"}
SWITCH_WAIT_SECONDS = 5.0


def _source(manifest: dict) -> str:
    source = manifest.get("source") or {}
    kind = SOURCE_KINDS.get(source.get("kind"), source.get("kind") or "")
    if source.get("kind") == "import":
        mode = "替换" if source.get("mode") == "replace" else "追加"
        return f"{kind}{TABLE_LABELS.get(source.get('table'), '')}（{mode}）"
    return kind

def snapshot_history(store: SnapshotStore) -> pd.DataFrame:
    """Every complete snapshot, newest first, with its row counts and the files it imported."""
    current = store.current_id()
    rows = [{
        "snapshot": s.id,
        "current": s.id == current,
        "as_of": s.as_of,
        "created": beijing_time(s.manifest["created_at"]),
        "source": _source(s.manifest) + ("（旧存储格式，需升级后才能查看）" if s.needs_upgrade else ""),
        "files": "、".join((s.manifest.get("source") or {}).get("files", [])),
        **{name: s.rows(name) for name in COUNTED_TABLES},
    } for s in reversed(store.list())]
    return pd.DataFrame(rows, columns=list(LABELS))

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
