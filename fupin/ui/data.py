"""Data access shared by every session: one store and one database per snapshot, created once.

How a page run uses it (nothing here draws anything; the notices are Chinese sentences to show in red):

    served = data.serve(requested_id)          # Served(snapshot, notices): never a damaged snapshot
    db = data.database(served.snapshot.id)     # DamagedFile if its files fail verification
    try:
        ...                                    # queries: db.run(...) may raise DamagedFile
    except SnapshotError as error:             # DamagedFile, StoreIOError, ...
        served = data.recover(served.snapshot.id, error)   # reopened, or another snapshot, with notices
"""

from .. import settings
from ..query import opened
from ..query.db import SnapshotDB, files_verified
from ..store import rehash
from ..store.snapshot import DamagedFile, SnapshotError
from ..store.store import Served, SnapshotStore


def store() -> SnapshotStore:
    """The snapshot store of the data folder ($FUPIN_DATA or data/)."""
    return opened.store(settings.data_dir())


def database(snapshot_id: str) -> SnapshotDB:
    """The read-only database of one snapshot, shared with every session and download of the process
    (fupin.query.opened); DuckDB cursors make it safe to share.

    Raises DamagedFile when a file of the snapshot fails verification (a failure is not kept).
    """
    return opened.database(settings.data_dir(), snapshot_id)


def serve(snapshot_id: str | None = None) -> Served:
    """The snapshot a page run should show (`snapshot_id`, else CURRENT's), verified; if it is damaged or CURRENT
    is missing or garbage, the newest snapshot that verifies, with notices saying what happened.

    Cheap on every run: each file is hashed once per process and again only when it changes, or when the background
    pass (started here, once per process) found it no longer matches. SnapshotError when the store has no usable
    snapshot at all.
    """
    _keep_rehashing()
    served = store().serve(snapshot_id)
    files_verified(served.snapshot.id)   # this page run's queries need not check them again
    return served


def _keep_rehashing() -> None:
    """Have the background pass re-hash this data folder's current snapshot every FUPIN_REHASH_HOURS."""
    try:
        hours = settings.rehash_hours()
    except settings.SettingsError:   # the frame shows the bad setting; the default still guards the figures
        hours = settings.REHASH_HOURS_DEFAULT
    rehash.BACKGROUND.watch(store(), hours * 3600)


def recover(snapshot_id: str, error: SnapshotError) -> Served:
    """After a page run failed on a snapshot's database: reopen it if its files still verify (a transient read
    error, a file swapped back), else serve the newest snapshot that verifies. The notices say what failed."""
    notices = [f"读取数据时出错：{error}"]
    try:
        database(snapshot_id).reopen()
        return Served(store().get(snapshot_id), (*notices, "已重新打开快照"))
    except DamagedFile:
        served = serve(snapshot_id)
        return Served(served.snapshot, (*notices, *served.notices))
