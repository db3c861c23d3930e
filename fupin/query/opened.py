"""The store and the open snapshot databases of a process, shared by every page run, download and probe: one
SnapshotDB per snapshot (its connection and result cache), the least recently used let go beyond OPEN_SNAPSHOTS (it
closes once no query holds it any more)."""

import threading
from collections import OrderedDict
from pathlib import Path

from ..store.store import SnapshotStore
from .db import SnapshotDB

# Open snapshot databases kept at once (each holds its own bounded result cache).
OPEN_SNAPSHOTS = 4

_lock = threading.Lock()
_stores: dict[str, SnapshotStore] = {}
_databases: OrderedDict[tuple[str, str], SnapshotDB] = OrderedDict()


def store(data_dir: Path) -> SnapshotStore:
    """The snapshot store of a data folder; the first call of a process removes what a killed import left."""
    key = str(data_dir)
    with _lock:
        found = _stores.get(key)
        if found is None:
            found = _stores[key] = SnapshotStore(Path(data_dir))
            found.clean_leftovers()   # unless an import is running now
    return found


def database(data_dir: Path, snapshot_id: str) -> SnapshotDB:
    """The read-only database of one snapshot, opened once (DamagedFile when its files fail verification: a failure
    is not kept, so the next call tries again)."""
    key = (str(data_dir), snapshot_id)
    with _lock:
        found = _databases.get(key)
        if found is not None:
            _databases.move_to_end(key)
            return found
    opened = SnapshotDB(store(data_dir).get(snapshot_id))   # outside the lock: opening a big snapshot takes seconds
    with _lock:
        found = _databases.setdefault(key, opened)
        _databases.move_to_end(key)
        while len(_databases) > OPEN_SNAPSHOTS:
            _databases.popitem(last=False)
    if found is not opened:   # opened twice at once: the other one is kept
        opened.close()
    return found


def forget() -> None:
    """Drop every store and database of this process (tests that change a data folder under a running app)."""
    with _lock:
        _databases.clear()
        _stores.clear()
