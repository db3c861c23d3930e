"""Data access shared by every session: one store and one database per snapshot, created once."""

import streamlit as st

from .. import settings
from ..db import SnapshotDB
from ..snapshots import Snapshot, SnapshotStore

# Open snapshot databases kept at once (each holds its own bounded result cache).
OPEN_SNAPSHOTS = 4


@st.cache_resource(show_spinner=False)
def _store(path: str) -> SnapshotStore:
    return SnapshotStore(path)


def store() -> SnapshotStore:
    """The snapshot store of the data folder ($FUPIN_DATA or data/)."""
    return _store(str(settings.data_dir()))


def snapshot(snapshot_id: str | None) -> Snapshot:
    """A snapshot by id, or the current one for None."""
    return store().get(snapshot_id) if snapshot_id else store().current()


@st.cache_resource(show_spinner=False, max_entries=OPEN_SNAPSHOTS)
def _database(path: str, snapshot_id: str) -> SnapshotDB:
    return SnapshotDB(_store(path).get(snapshot_id))


def database(snapshot_id: str) -> SnapshotDB:
    """The read-only database of one snapshot; DuckDB cursors make it safe to share across sessions."""
    return _database(str(settings.data_dir()), snapshot_id)
