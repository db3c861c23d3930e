"""Fault injection: a damaged store, a missing or garbage CURRENT, a full or read-only disk, a kill at the worst moment.

Every case asserts: no traceback, no wrong figure (a damaged snapshot is never read), CURRENT unchanged or a verified
fallback, and one clear line saying what happened.
"""

import datetime as dt
import errno
import os
import random
import signal
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import duckdb
import pytest
from conftest import copy_store, flip_byte_keeping_stat, run_cli, tiny_tables, write_snapshot
from ledger_samples import csv_file, purchase

from fupin.cli import main as cli
from fupin.query import db as db_module
from fupin.query.db import SnapshotDB, call, files_checked_once, files_verified
from fupin.query.filters import Filter
from fupin.settings import PROJECT_ROOT
from fupin.store.schema import PARTITIONED_BY_YEAR_OF
from fupin.store.snapshot import PENDING, DamagedFile, SnapshotError, verify
from fupin.store.store import SnapshotStore
from fupin.store.writer import SnapshotWriter

YEAR = Filter.year_to_date(dt.date(2018, 12, 29), counties=("140827",))


def lab_batches(snapshot) -> int:
    db = SnapshotDB(snapshot)
    try:
        return int(db.run_filtered("inspection_totals", YEAR)["batches"].iloc[0])
    finally:
        db.close()


@pytest.fixture
def store(tmp_path, two_snapshots_template) -> SnapshotStore:
    """Two snapshots with different inspections: `older` (verified fallback) and the current `newer`."""
    return copy_store(two_snapshots_template, tmp_path / "data")


def older_and_newer(store):
    older, newer = store.list()
    return older, newer


def a_file(snapshot, table: str) -> Path:
    """A table's file that the 2018 figures read: its 2018 partition's, or its one file."""
    paths = snapshot.file_paths(table)
    return next((p for p in paths if "/year=2018/" in str(p)), paths[0])


def name_of(table: str) -> str:
    """How a message names that file: its path in the snapshot."""
    return f"{table}/county_code=140827/year=2018/part-0.parquet" if table in PARTITIONED_BY_YEAR_OF \
        else f"{table}.parquet"


def flip_middle(path: Path, count: int = 40) -> None:
    """Overwrite `count` bytes in the middle of a file, as a failing disk or a stray write would."""
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + count] = bytes(255 - b for b in data[middle:middle + count])
    path.write_bytes(bytes(data))


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def drop_manifest(path: Path) -> None:
    next(p for p in path.parents if p.parent.name == "snapshots").joinpath("manifest.json").unlink()


DAMAGE = {   # fault -> (table whose file is damaged, how, the file the message names)
    "corrupt_bytes": ("inspections", flip_middle, name_of("inspections")),
    "truncated_file": ("purchases", truncate, name_of("purchases")),
    "missing_manifest": ("purchases", drop_manifest, "manifest.json"),
}


def one_clear_line(stderr: str, *words: str) -> None:
    assert "Traceback" not in stderr, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    for word in words:
        assert word in lines[0], lines[0]


@pytest.mark.parametrize("fault", list(DAMAGE))
def test_a_damaged_current_snapshot_is_never_served(store, fault):
    older, newer = older_and_newer(store)
    expected = lab_batches(older)
    table, damage, file = DAMAGE[fault]
    damage(a_file(newer, table))

    served = store.serve()                                   # the app: a verified fallback and a notice
    assert served.snapshot.id == older.id and lab_batches(served.snapshot) == expected
    assert len(served.notices) == 1 and file in served.notices[0] and newer.id in served.notices[0]
    assert f"改为显示最新的通过校验的快照 {older.id}" in served.notices[0]
    if fault != "missing_manifest":
        with pytest.raises(DamagedFile, match=file):
            SnapshotDB(newer)                                # no figure of the damaged snapshot is computed

    brief = run_cli("brief", "--format", "json", data=store.root)     # the CLI: exit 3, one line naming the file
    assert brief.returncode == 3 and brief.stdout == ""
    one_clear_line(brief.stderr, file, newer.id)

    ledger = store.root.parent / "采购.csv"
    ledger.write_bytes(csv_file([purchase()]).content)
    imported = run_cli("import", "purchases", ledger, data=store.root)  # and nothing is built on it
    assert imported.returncode == 3
    one_clear_line(imported.stderr, file)
    assert store.current_id() == newer.id and len(list(store.snapshots_dir.iterdir())) == 2


def test_forty_bytes_that_would_have_changed_the_figures_are_caught_before_any_query(store):
    older, newer = older_and_newer(store)
    db = SnapshotDB(newer)
    before = db.run_filtered("inspection_totals", YEAR)
    flip_middle(a_file(newer, "inspections"))
    with pytest.raises(DamagedFile, match=f"{name_of('inspections')} 校验和不符"):
        db.run_filtered("inspection_totals", YEAR.same_period_last_year())
    with pytest.raises(DamagedFile):
        db.run_filtered("inspection_totals", YEAR)           # not even a cached figure
    assert before["batches"].iloc[0] > 0
    db.close()


@pytest.mark.parametrize("current, state", [(None, "缺失"), (b"garbage\n", "无效"), (b"\xff\xfe\x00", "无效"),
                                            (b"", "无效"), (b"../../etc/passwd", "无效")])
def test_a_missing_or_garbage_current_serves_the_newest_verified_snapshot(store, current, state):
    older, newer = older_and_newer(store)
    if current is None:
        store.current_file.unlink()
    else:
        store.current_file.write_bytes(current)
    served = store.serve()
    assert served.snapshot.id == newer.id and served.notices and state in served.notices[0]
    brief = run_cli("brief", "--format", "json", data=store.root)
    assert brief.returncode == 0 and '"snapshot": "' + newer.id in brief.stdout
    one_clear_line(brief.stderr, "CURRENT", newer.id)
    assert "还没有快照" not in brief.stderr


def test_a_missing_current_never_brings_demo_data_in(store):
    from fupin.demo import build_demo

    store.current_file.unlink()
    before = sorted(p.name for p in store.snapshots_dir.iterdir())
    assert build_demo(store, only_if_empty=True).id == store.list()[-1].id
    assert sorted(p.name for p in store.snapshots_dir.iterdir()) == before


def test_a_missing_current_with_the_newest_snapshot_damaged_serves_the_one_before(store):
    older, newer = older_and_newer(store)
    store.current_file.unlink()
    flip_middle(a_file(newer, "purchases"))
    served = store.serve()
    assert served.snapshot.id == older.id
    assert "CURRENT 指针缺失" in served.notices[0] and any(name_of("purchases") in n for n in served.notices)


def test_no_snapshot_that_verifies_is_a_clear_error(store):
    for snapshot in store.list():
        flip_middle(a_file(snapshot, "targets"))
    with pytest.raises(SnapshotError, match="没有可用的快照"):
        store.serve()
    brief = run_cli("brief", data=store.root)
    assert brief.returncode == 3
    one_clear_line(brief.stderr, name_of("targets"))


def test_hard_linked_snapshots_share_damage_and_neither_is_served(tmp_path):
    from fupin.ledger.importer import import_ledgers

    store = SnapshotStore(tmp_path)
    first = write_snapshot(store, tiny_tables(random.Random(1)))
    second = import_ledgers(store, "purchases", [csv_file([purchase()])]).snapshot
    assert os.path.samefile(a_file(first, "inspections"), a_file(second, "inspections"))
    flip_middle(a_file(second, "inspections"))
    with pytest.raises(DamagedFile):
        verify(first)
    with pytest.raises(SnapshotError, match="没有可用的快照"):
        store.serve()


def test_an_import_never_copies_a_damaged_parent_file(store, monkeypatch):
    """The parent's stat is unchanged (mtime restored), so only the import's fresh hashing sees the damage."""
    from fupin.ledger.importer import import_ledgers

    older, newer = older_and_newer(store)
    store.serve()                                              # verified once in this process
    path = a_file(newer, "cooperatives")
    stat = path.stat()
    flip_middle(path)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    with pytest.raises(DamagedFile, match=name_of("cooperatives")):
        import_ledgers(store, "purchases", [csv_file([purchase()])])
    assert store.current_id() == newer.id and len(store.list()) == 2
    assert not list(store.snapshots_dir.glob(".tmp-*"))


def test_a_file_swapped_under_a_running_database_is_caught_and_reopened(store):
    older, newer = older_and_newer(store)
    db = SnapshotDB(newer)
    expected = db.run_filtered("purchase_totals", YEAR)
    path = a_file(newer, "purchases")
    original = path.read_bytes()
    truncate(path)
    with pytest.raises(DamagedFile, match=name_of("purchases")):
        db.run_filtered("purchase_totals", YEAR.same_period_last_year())
    with pytest.raises(DamagedFile):
        db.reopen()
    path.write_bytes(original)                                 # put back (e.g. from a backup)
    db.reopen()
    assert db.run_filtered("purchase_totals", YEAR).equals(expected)
    db.close()


def test_a_page_run_checks_the_files_once_and_the_next_run_finds_a_swap(store, monkeypatch):
    """Inside files_checked_once (one page run) only the first query stats the files; a file damaged after it is
    still found when it is read, and the next block checks again."""
    older, newer = older_and_newer(store)
    db = SnapshotDB(newer)
    checks = []
    monkeypatch.setattr(db_module, "verify", lambda snapshot, fresh=True: (checks.append(fresh),
                                                                           verify(snapshot, fresh=fresh))[1])
    try:
        with files_checked_once():
            db.run_filtered("purchase_totals", YEAR)
            db.run("scope_options")
            db.run_many([call("inspection_totals", YEAR), call("purchase_totals", YEAR.same_period_last_year())])
            assert checks == [False]
        with files_checked_once():   # the store has just verified it (serving it): the queries rely on that
            files_verified(newer.id)
            db.run("scope_options")
            assert checks == [False]
        path = a_file(newer, "purchases")
        truncate(path)
        with files_checked_once(), pytest.raises(DamagedFile, match=name_of("purchases")):
            db.run_filtered("purchase_totals", Filter.year_to_date(dt.date(2018, 6, 30), counties=("140827",)))
    finally:
        db.close()


def test_a_database_read_error_is_a_damaged_file_not_a_traceback(store, monkeypatch):
    older, newer = older_and_newer(store)
    db = SnapshotDB(newer)

    def failing(*args, **kwargs):
        raise duckdb.IOException('IO Error: Could not read file "/x/purchases.parquet": Input/output error')

    monkeypatch.setattr(db, "_cursor", failing)
    with pytest.raises(DamagedFile, match="purchases.parquet 读取失败"):
        db.run_filtered("purchase_totals", YEAR)
    db.close()


def test_the_app_recovers_from_a_failed_page_run(store, monkeypatch):
    """fupin.ui.data: the calls a page makes, without Streamlit running."""
    from fupin.query import opened
    from fupin.ui import data

    monkeypatch.setenv("FUPIN_DATA", str(store.root))
    opened.forget()
    older, newer = older_and_newer(store)
    assert data.serve().snapshot.id == newer.id
    db = data.database(newer.id)
    error = None
    flip_middle(a_file(newer, "villages"))
    try:
        db.run("township_options", year=2018, counties=["140827"])
    except SnapshotError as e:
        error = e
    served = data.recover(newer.id, error)
    assert served.snapshot.id == older.id and "villages.parquet" in served.notices[0]
    assert data.database(served.snapshot.id).run("township_options", year=2018, counties=["140827"]).shape[0] == 3
    opened.forget()


# --- python -m fupin verify: every file hashed again, whatever its stat says ---------------------------------------

def verify_cli(capsys, store, *args) -> tuple[int, list[str], list[str]]:
    """`python -m fupin verify` in this process: exit status, stdout lines, stderr lines."""
    code = cli.main(["--data", str(store.root), "verify", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out.splitlines(), err.splitlines()


def file_count(snapshot) -> int:
    return sum(len(snapshot.files(name)) for name in snapshot.manifest["tables"])


def test_verify_finds_a_byte_flipped_with_size_and_mtime_restored(store, capsys):
    older, newer = older_and_newer(store)
    code, out, err = verify_cli(capsys, store)
    assert code == 0 and err == []
    assert len(out) == 1 and f"1 个快照的 {file_count(newer)} 个文件" in out[0] and "全部与清单一致" in out[0]

    store.serve()                                               # verified once in this process
    flip_byte_keeping_stat(a_file(newer, "purchases"))
    served = store.serve()
    assert served.snapshot.id == newer.id and not served.notices, "the stat check alone cannot see it"
    code, out, err = verify_cli(capsys, store)
    assert code == 3 and len(err) == 1 and len(out) == 1 and "1 处损坏" in out[0]
    assert err[0] == f"错误: 快照 {newer.id} 的文件 {name_of('purchases')} 校验和不符（已损坏或被改动）"


def test_verify_all_checks_every_snapshot_and_names_each_damaged_file(store, capsys):
    older, newer = older_and_newer(store)
    flip_byte_keeping_stat(a_file(older, "inspections"))
    flip_byte_keeping_stat(a_file(older, "cooperatives"))
    assert verify_cli(capsys, store)[0] == 0, "without --all only the current snapshot is checked"
    code, out, err = verify_cli(capsys, store, "--all")
    assert code == 3 and "2 个快照" in out[0] and "2 处损坏" in out[0]
    assert err == [f"错误: 快照 {older.id} 的文件 {name_of(table)} 校验和不符（已损坏或被改动）"
                   for table in ("inspections", "cooperatives")]

    (older.path / "manifest.json").unlink()
    store.current_file.write_text("garbage\n")
    code, out, err = verify_cli(capsys, store, "--all")
    assert code == 3 and len(err) == 2
    assert "CURRENT 指针缺失或无效" in err[0] and f"快照 {older.id} 的文件 manifest.json 缺失" in err[1]


def test_verify_without_a_snapshot_is_a_usage_error(tmp_path, capsys):
    code, out, err = verify_cli(capsys, SnapshotStore(tmp_path))
    assert code == 2 and out == [] and err == [f"错误: 数据目录 {tmp_path} 中还没有快照"]


# --- the disk: full, read-only ------------------------------------------------------------------------------------

def in_process(capsys, *args) -> tuple[int, str]:
    code = cli.main([str(a) for a in args])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("where, error, words", [
    ("fupin.store.writer.SnapshotWriter.write", OSError(errno.ENOSPC, "No space left on device"), ("磁盘空间已满",)),
    ("fupin.store.store.SnapshotStore.point_current", OSError(errno.ENOSPC, "No space left on device"),
     ("磁盘空间已满",)),
    ("fupin.store.partitions.split", duckdb.IOException('IO Error: Could not write file "x": No space left on device'),
     ("磁盘空间已满",)),
    ("fupin.ledger.existing.Existing.add_rows", OSError(errno.ENOSPC, "No space left on device"), ("磁盘空间已满",)),
    ("pathlib.Path.mkdir", OSError(errno.EROFS, "Read-only file system"), ("只读",)),
])
def test_an_import_that_cannot_write_exits_3_and_changes_nothing(store, tmp_path, capsys, monkeypatch, where, error,
                                                               words):
    before = (store.current_id(), sorted(p.name for p in store.snapshots_dir.iterdir()))
    ledger = tmp_path / "采购.csv"
    ledger.write_bytes(csv_file([purchase()]).content)

    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(where, fail)
    code, err = in_process(capsys, "--data", store.root, "import", "purchases", ledger)
    assert code == 3
    one_clear_line(err, *words, "没有做任何更改")
    monkeypatch.undo()
    store.clean_leftovers()
    assert (store.current_id(), sorted(p.name for p in store.snapshots_dir.iterdir())) == before
    verify(store.current())


@pytest.fixture
def tmpfs(tmp_path):
    """A small tmpfs of its own (the tests run as root, as CI does)."""
    mount = tmp_path / "tmpfs"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True)
    assert done.returncode == 0, f"cannot mount a tmpfs: {done.stderr.decode(errors='replace')}"
    yield mount
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_a_really_full_disk(tmpfs, tmp_path):
    store = SnapshotStore(tmpfs / "data")
    first = write_snapshot(store, tiny_tables(random.Random(1)))
    with open(tmpfs / "filler", "wb", buffering=0) as filler:   # fill it up, then leave 8 kB: no snapshot fits
        try:
            while True:
                filler.write(b"\0" * 4096)
        except OSError:
            pass
    with open(tmpfs / "filler", "rb+") as filler:
        filler.truncate(max((tmpfs / "filler").stat().st_size - 8 * 1024, 0))
    ledger = tmp_path / "采购.csv"
    ledger.write_bytes(csv_file([purchase(date=f"2018-12-{d:02d}") for d in range(1, 29)]).content)
    result = run_cli("import", "purchases", ledger, data=store.root)
    assert result.returncode == 3, result.stderr
    one_clear_line(result.stderr, "磁盘空间已满", "没有做任何更改", first.id)
    assert store.current_id() == first.id and [s.id for s in store.list()] == [first.id]
    assert not list(store.snapshots_dir.glob(".tmp-*"))
    verify(store.current())


def test_a_read_only_data_folder(tmpfs, tmp_path):
    store = SnapshotStore(tmpfs / "data")
    first = write_snapshot(store, tiny_tables(random.Random(1)))
    assert subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)]).returncode == 0
    ledger = tmp_path / "采购.csv"
    ledger.write_bytes(csv_file([purchase()]).content)
    result = run_cli("import", "purchases", ledger, data=store.root)
    assert result.returncode == 3
    one_clear_line(result.stderr, "只读", "没有做任何更改")
    brief = run_cli("brief", "--format", "json", data=store.root)     # reading still works
    assert brief.returncode == 0 and first.id in brief.stdout
    assert store.clean_leftovers() == [] and store.current_id() == first.id


# --- kill -9 --------------------------------------------------------------------------------------------------------

KILLED_AFTER_RENAME = textwrap.dedent("""
    import sys, time
    sys.path[:0] = [{root!r}, {tests!r}]
    from fupin.store.store import SnapshotStore
    from fupin.ledger.importer import import_ledgers
    from ledger_samples import csv_file, purchase

    def stall(self, snapshot_id):
        print("renamed", flush=True)
        sys.stdin.readline()   # stopped here until killed

    SnapshotStore.point_current = stall
    import_ledgers(SnapshotStore({data!r}), "purchases", [csv_file([purchase()])])
""")


def test_a_kill_between_the_rename_and_current_leaves_no_orphan_in_sight(store):
    older, newer = older_and_newer(store)
    script = KILLED_AFTER_RENAME.format(root=str(PROJECT_ROOT), tests=str(PROJECT_ROOT / "tests"), data=str(store.root))
    proc = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "renamed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    orphans = [p for p in store.snapshots_dir.iterdir() if (p / PENDING).exists()]
    assert len(orphans) == 1, "the import was killed after its rename, before CURRENT moved"
    assert [s.id for s in store.list()] == [older.id, newer.id] and store.current_id() == newer.id
    assert store.clean_leftovers() == [orphans[0].name]         # at start, under the lock
    assert sorted(p.name for p in store.snapshots_dir.iterdir()) == [older.id, newer.id]


KILLED_AT = textwrap.dedent("""
    import sys, time
    sys.path[:0] = [{root!r}, {tests!r}]
    import fupin.store.partitions, fupin.store.rollup, fupin.store.writer
    from fupin.store.store import SnapshotStore
    from fupin.ledger.importer import import_ledgers
    from ledger_samples import csv_file, purchase

    module = {{"partition": fupin.store.partitions, "rollup": fupin.store.rollup, "link": fupin.store.writer.os}}[{point!r}]
    name = {{"partition": "_copy", "rollup": "derive", "link": "link"}}[{point!r}]
    original, calls = getattr(module, name), []

    def then_stall(*args, **kwargs):
        done = original(*args, **kwargs)
        calls.append(1)
        if len(calls) == {after}:
            print("stalled", flush=True)
            time.sleep(60)
        return done

    setattr(module, name, then_stall)
    rows = [purchase(date="2017-03-01"), purchase(date="2018-12-20")]   # two partitions rewritten
    import_ledgers(SnapshotStore({data!r}), "purchases", [csv_file(rows)])
""")


@pytest.mark.parametrize("point, after", [("link", 5), ("partition", 1), ("rollup", 1)])
def test_a_kill_at_any_point_of_a_partitioned_import_loses_nothing(store, point, after):
    """Killed after some files were shared, after one of two partitions was written, after one partition's derived
    tables."""
    older, newer = older_and_newer(store)
    expected = lab_batches(newer)
    script = KILLED_AT.format(root=str(PROJECT_ROOT), tests=str(PROJECT_ROOT / "tests"), data=str(store.root),
                              point=point, after=after)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "stalled"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert list(store.snapshots_dir.glob(".tmp-*")), "killed while writing"
    assert store.current_id() == newer.id and [s.id for s in store.list()] == [older.id, newer.id]
    verify(older)
    verify(newer)                                             # shared files were never written into
    assert store.serve().snapshot.id == newer.id and lab_batches(newer) == expected
    assert store.clean_leftovers() and not list(store.snapshots_dir.glob(".tmp-*"))
    from fupin.ledger.importer import import_ledgers
    again = import_ledgers(store, "purchases", [csv_file([purchase(date="2017-03-01"), purchase(date="2018-12-20")])])
    assert again.snapshot.rows("purchases") == newer.rows("purchases") + 2


def test_leftovers_of_a_killed_writer_are_cleaned_at_start_not_only_by_the_next_import(store):
    (store.snapshots_dir / f".tmp-{uuid.uuid4().hex}").mkdir()
    (store.root / ".CURRENT.abc").write_text("x")
    removed = store.clean_leftovers()
    assert len(removed) == 1 and removed[0].startswith(".tmp-")
    assert not list(store.snapshots_dir.glob(".tmp-*")) and not list(store.root.glob(".CURRENT.*"))


def test_a_snapshot_dying_after_current_moved_keeps_being_current(store):
    older, newer = older_and_newer(store)
    (newer.path / PENDING).touch()                              # the writer died just before removing the mark
    assert store.clean_leftovers() == [] and store.current_id() == newer.id
    assert not (newer.path / PENDING).exists() and len(store.list()) == 2


def test_a_cli_failure_of_any_kind_is_one_line(store, capsys, monkeypatch):
    def bug(*args, **kwargs):
        raise KeyError("oops")

    monkeypatch.setattr(SnapshotWriter, "commit", bug)
    ledger = store.root.parent / "a.csv"
    ledger.write_bytes(csv_file([purchase()]).content)
    code, err = in_process(capsys, "--data", store.root, "import", "purchases", ledger)
    assert code == 3
    one_clear_line(err, "意外错误", "KeyError")
    assert len(store.list()) == 2 and not list(store.snapshots_dir.glob(".tmp-*"))


def test_the_workspace_of_a_killed_import_is_removed_by_the_next_one(store, tmp_path):
    import tempfile

    from fupin.ledger.existing import WORKSPACE
    from fupin.ledger.importer import import_ledgers

    no_such_process = int(Path("/proc/sys/kernel/pid_max").read_text()) + 1
    left = Path(tempfile.mkdtemp(prefix=f"fupin-import-{no_such_process}-"))
    (left / "ledger_rows.parquet").write_bytes(b"x" * 1000)
    mine = Path(tempfile.mkdtemp(prefix=f"fupin-import-{os.getpid()}-"))   # a live process's: kept
    assert WORKSPACE.match(left.name) and WORKSPACE.match(mine.name)
    import_ledgers(store, "purchases", [csv_file([purchase()])], dry_run=True)
    assert not left.exists() and mine.exists()
    mine.rmdir()
