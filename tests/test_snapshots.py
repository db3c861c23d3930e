"""The snapshot store: complete snapshots only, atomic CURRENT, verification, the write lock."""

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pandas as pd
import pyarrow.parquet as pq
import pytest
from conftest import write_snapshot

from fupin.settings import PROJECT_ROOT
from fupin.store.snapshot import SnapshotError, StoreBusy, verify
from fupin.store.store import SnapshotStore


def test_commit_writes_manifest_and_moves_current(tmp_path, tiny_tables_data):
    store = SnapshotStore(tmp_path)
    snap = write_snapshot(store, tiny_tables_data)
    assert store.current_id() == snap.id
    assert snap.rows("purchases") == len(tiny_tables_data["purchases"])
    manifest = json.loads((snap.path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["as_of"] == "2018-12-29" and manifest["schema_version"] == 3
    purchases = manifest["tables"]["purchases"]
    years = sorted({d.year for d in tiny_tables_data["purchases"]["purchase_date"]})
    assert [(p["county_code"], p["year"]) for p in purchases["partitions"]] == [("140827", y) for y in years]
    assert [f["path"] for f in purchases["files"]] == [f"purchases/county_code=140827/year={y}/part-0.parquet"
                                                        for y in years]
    assert sum(f["rows"] for f in purchases["files"]) == purchases["rows"] == len(tiny_tables_data["purchases"])
    assert all(len(f["sha256"]) == 64 and f["bytes"] == (snap.path / f["path"]).stat().st_size
               for f in purchases["files"])
    assert [f["path"] for f in manifest["tables"]["townships"]["files"]] == ["townships.parquet"]
    inside = pq.read_schema(snap.path / purchases["files"][0]["path"]).names
    assert "county_code" not in inside and "year" not in inside and "purchase_date" in inside
    assert "year" not in pq.read_schema(snap.path / manifest["tables"]["targets"]["files"][0]["path"]).names
    verify(snap)


def test_older_snapshots_stay_selectable(tmp_path, tiny_tables_data):
    store = SnapshotStore(tmp_path)
    first = write_snapshot(store, tiny_tables_data)
    second = write_snapshot(store, tiny_tables_data, as_of=dt.date(2019, 1, 31))
    assert [s.id for s in store.list()] == [first.id, second.id]
    assert store.current().id == second.id
    store.set_current(first.id)
    assert store.current().as_of == dt.date(2018, 12, 29)


def test_failed_write_leaves_nothing_visible(tmp_path, tiny_tables_data):
    store = SnapshotStore(tmp_path)
    first = write_snapshot(store, tiny_tables_data)

    def broken_batches():
        yield tiny_tables_data["purchases"].head(5)
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        with store.writer(dt.date(2019, 1, 1), {"kind": "test"}) as writer:
            writer.write("purchases", broken_batches())
    assert [s.id for s in store.list()] == [first.id]
    assert store.current_id() == first.id
    assert not list(store.snapshots_dir.glob(".tmp-*"))


def test_commit_refuses_a_snapshot_missing_a_table(tmp_path, tiny_tables_data):
    store = SnapshotStore(tmp_path)
    with pytest.raises(SnapshotError, match="缺少数据表"):
        with store.writer(dt.date(2019, 1, 1), {"kind": "test"}) as writer:
            writer.write("purchases", tiny_tables_data["purchases"])
            writer.commit()
    assert store.current_id() is None and store.list() == []


def test_corrupt_file_fails_verification_and_cannot_become_current(tmp_path, tiny_tables_data):
    store = SnapshotStore(tmp_path)
    first = write_snapshot(store, tiny_tables_data)
    second = write_snapshot(store, tiny_tables_data)
    path = first.file_paths("purchases")[0]
    path.write_bytes(path.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(SnapshotError, match="校验和"):
        store.set_current(first.id)
    assert store.current_id() == second.id


@pytest.mark.parametrize("bad_id", ["../etc", "", "2018-12-29", ".tmp-abc", "2018-12-29_20260101T000000000000Z/.."])
def test_unknown_or_malformed_ids_are_refused(tmp_path, bad_id):
    with pytest.raises(SnapshotError):
        SnapshotStore(tmp_path).get(bad_id)


def test_empty_store_has_no_current(tmp_path):
    with pytest.raises(SnapshotError, match="还没有快照"):
        SnapshotStore(tmp_path).current()


KILLED_WRITER = textwrap.dedent("""
    import datetime as dt, sys, time
    import pandas as pd
    sys.path[:0] = [{root!r}, {tests!r}]
    from conftest import tiny_tables
    import random
    from fupin.store.store import SnapshotStore
    tables = tiny_tables(random.Random(1))
    store = SnapshotStore({data!r})
    def slow():
        for i in range(1000):
            yield tables["purchases"]
            print("wrote", i, flush=True)
            time.sleep(0.05)
    with store.lock():
        with store.writer(dt.date(2019, 6, 30), {{"kind": "killed"}}) as w:
            for name, frame in tables.items():
                w.write(name, slow() if name == "purchases" else frame)
            w.commit()
""")


def test_killed_writer_leaves_the_old_snapshot_current_and_intact(tmp_path, tiny_tables_data):
    store = SnapshotStore(tmp_path)
    first = write_snapshot(store, tiny_tables_data)
    script = KILLED_WRITER.format(root=str(PROJECT_ROOT), tests=str(PROJECT_ROOT / "tests"), data=str(tmp_path))
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    for _ in range(3):
        proc.stdout.readline()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert list(store.snapshots_dir.glob(".tmp-*")), "the writer was killed mid-write"
    assert store.current_id() == first.id
    assert [s.id for s in store.list()] == [first.id]
    verify(store.current())
    with store.lock():
        pass
    assert not list(store.snapshots_dir.glob(".tmp-*")), "the next writer clears what the dead one left"


def test_second_writer_is_refused_while_the_first_holds_the_lock(tmp_path):
    store = SnapshotStore(tmp_path)
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(PROJECT_ROOT)!r})
        from fupin.store.store import SnapshotStore
        with SnapshotStore({str(tmp_path)!r}).lock():
            print("locked", flush=True)
            sys.stdin.readline()   # held until the test says go
    """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    started = time.monotonic()
    with pytest.raises(StoreBusy, match="另一个导入正在进行"):
        with store.lock(wait_seconds=0.5):
            pass
    assert time.monotonic() - started >= 0.5
    holder.communicate("\n")
    with store.lock(wait_seconds=1):
        pass


def test_dataframe_columns_are_cast_to_the_schema(tmp_path, tiny_tables_data):
    tables = dict(tiny_tables_data)
    tables["targets"] = pd.DataFrame({"year": [2018], "scope_code": ["140827"], "metric": ["lab_batches"],
                                      "target_value": [700]})
    snap = write_snapshot(SnapshotStore(tmp_path), tables)
    assert str(pq.read_schema(snap.file_paths("targets")[0]).field("target_value").type) == "double"
