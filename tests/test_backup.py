"""Backups, restores, pruning and replica syncs of a data folder (`python -m fupin backup|restore|prune|sync`)."""

import datetime as dt
import json
import random
import shutil
import subprocess
import sys
import time

import pytest
from conftest import copy_store, flip_byte_keeping_stat, run_cli, tiny_tables, write_snapshot
from ledger_samples import csv_file, purchase

from fupin.auth import accounts, audit, lockout
from fupin.report import geo
from fupin.settings import PROJECT_ROOT
from fupin.store import backup as backups
from fupin.store.retention import prune_snapshots
from fupin.store.snapshot import verify
from fupin.store.store import SnapshotStore


def one_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and result.stdout == "", (result.stdout, result.stderr)
    return lines[0]


def child(store: SnapshotStore, parent, seed: int):
    """A snapshot built on `parent` as an import builds it: every file shared by a hard link but the targets'."""
    with store.writer(parent.as_of, {"kind": "test"}, parent) as writer:
        for name in parent.manifest["tables"]:
            if name != "targets":
                writer.carry(name, parent)
        targets = tiny_tables(random.Random(seed))["targets"].assign(target_value=1000.0 * seed)
        writer.write("targets", targets)
        return writer.commit()


@pytest.fixture(scope="module")
def data_template(tmp_path_factory) -> SnapshotStore:
    """A data folder of two snapshots (the second built on the first), accounts, an audit log, a boundary file,
    a sign-in lock-out and a sessions file."""
    store = SnapshotStore(tmp_path_factory.mktemp("backup") / "data")
    first = write_snapshot(store, tiny_tables(random.Random(42)))
    child(store, first, 2)
    accounts.add_user(store.root, "li", "clerk", "140827", "secret-pass-1")
    audit.record(store.root, "li", "sign_in", client="10.0.0.7")
    lockout.record_failure(store.root, "wang")
    (store.root / "townships_custom_140827.geojson").write_text('{"type": "FeatureCollection", "features": []}')
    (store.root / "boundaries" / "140827").mkdir(parents=True)
    (store.root / "boundaries" / "140827" / "20261101T000000000000Z.geojson").write_text("{}")
    (store.root / "sessions.json").write_text('{"abc": {"user": "li"}}')
    return store


@pytest.fixture
def data(tmp_path, data_template) -> SnapshotStore:
    """A copy of the data folder of this module's tests for one test."""
    return copy_store(data_template, tmp_path / "data")


def brief(folder) -> dict:
    result = run_cli("brief", "--format", "json", data=folder)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_state_a_backup_keeps_is_named_by_its_owners():
    assert set(backups.STATE_FILES) == {accounts.FILE_NAME, audit.FILE_NAME}
    assert backups.AUDIT_FILE == audit.FILE_NAME
    assert backups.STATE_FOLDERS == (geo.VERSIONS_DIR,)
    assert geo.CUSTOM_NAME.format(county="140827").startswith(backups.STATE_GLOBS[0].split("*")[0])
    assert geo.LEGACY_CUSTOM[0].startswith(backups.STATE_GLOBS[0].split("*")[0])
    assert lockout.FILE_NAME not in backups.STATE_FILES


@pytest.mark.slow
def test_backup_while_an_import_runs_then_restore_gives_the_same_brief(data, tmp_path):
    before_id, before = data.current_id(), brief(data.root)
    ledger = tmp_path / "采购台账.csv"
    rows = [purchase(date=f"2018-{1 + i % 12:02d}-{1 + i % 28:02d}", supplier=f"张{i}", weight=str(100 + i % 900),
                     amount=str(200 + i)) for i in range(30_000)]
    ledger.write_bytes(csv_file(rows).content)
    importing = subprocess.Popen([sys.executable, "-m", "fupin", "--data", str(data.root), "import", "purchases",
                                  str(ledger)], cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not list(data.snapshots_dir.glob(".tmp-*")):   # the import is writing its snapshot
        assert importing.poll() is None and time.monotonic() < deadline, importing.communicate()
        time.sleep(0.02)
    done = run_cli("backup", tmp_path / "backups", data=data.root)
    assert importing.wait(timeout=300) == 0, importing.communicate()
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert len(done.stdout.strip().splitlines()) == 1 and "已备份到" in done.stdout
    after_id, after = data.current_id(), brief(data.root)
    assert after_id != before_id

    (made,) = backups.backup_sets(tmp_path / "backups")
    assert not list((tmp_path / "backups").glob(".tmp-*"))
    in_backup = (made / "CURRENT").read_text().strip()
    assert in_backup in (before_id, after_id)
    assert sorted(p.name for p in (made / "snapshots").iterdir()) == json.loads((made / "BACKUP.json").read_text())[
        "snapshots"]
    # The accounts, the audit log and the boundaries are kept; sessions and lock-outs are not.
    kept = {p.relative_to(made).as_posix() for p in made.rglob("*") if p.is_file() and "snapshots" not in p.parts}
    assert kept == {"accounts.json", "audit.jsonl", "townships_custom_140827.geojson", "BACKUP.json", "CURRENT",
                    "boundaries/140827/20261101T000000000000Z.geojson"}

    restored = run_cli("restore", tmp_path / "backups", data=tmp_path / "restored")
    assert restored.returncode == 0 and restored.stderr == "", restored.stderr
    assert "全部校验一致" in restored.stdout
    assert brief(tmp_path / "restored") == (before if in_backup == before_id else after)
    assert accounts.find_user(tmp_path / "restored", "li") is not None
    assert (tmp_path / "restored" / "audit.jsonl").read_bytes() == (made / "audit.jsonl").read_bytes()
    assert (tmp_path / "restored" / "accounts.json").stat().st_mode & 0o777 == 0o600
    assert not (tmp_path / "restored" / "sessions.json").exists()
    assert not (tmp_path / "restored" / lockout.FILE_NAME).exists()
    assert run_cli("verify", "--all", data=tmp_path / "restored").returncode == 0


def test_a_second_backup_links_every_unchanged_file_and_copies_the_new_ones(data, tmp_path):
    first = backups.backup(data, tmp_path / "b")
    newest = child(data, data.current(), 3)
    audit.record(data.root, "li", "sign_in", client="10.0.0.8")
    second = backups.backup(data, tmp_path / "b")
    assert first.stats.copied_files > 0 and second.snapshots == [*first.snapshots, newest.id]
    # Only the new snapshot's own file (its targets) and the grown audit log are copied; the rest are links.
    assert second.stats.copied_files == 2
    old = first.path / "snapshots" / first.current / "purchases"
    new = second.path / "snapshots" / first.current / "purchases"
    for path in old.rglob("*.parquet"):
        assert path.stat().st_ino == (new / path.relative_to(old)).stat().st_ino
    assert (first.path / "accounts.json").stat().st_ino == (second.path / "accounts.json").stat().st_ino
    assert (first.path / "audit.jsonl").read_bytes() != (second.path / "audit.jsonl").read_bytes()


def test_an_earlier_backup_damaged_since_is_never_linked(data, tmp_path):
    first = backups.backup(data, tmp_path / "b")
    damaged = next((first.path / "snapshots" / first.current / "purchases").rglob("*.parquet"))
    flip_byte_keeping_stat(damaged)
    second = backups.backup(data, tmp_path / "b")
    again = second.path / damaged.relative_to(first.path)
    assert again.stat().st_ino != damaged.stat().st_ino
    verify(SnapshotStore(second.path).get(first.current))


@pytest.mark.slow
def test_restore_refuses_a_partial_or_damaged_backup_and_leaves_nothing(data, tmp_path):
    made = backups.backup(data, tmp_path / "b").path
    target = tmp_path / "restored"

    (made / "CURRENT").rename(made / "CURRENT.away")             # cut short before CURRENT was written
    refused = run_cli("restore", made, data=target)
    assert refused.returncode == 1 and "不完整" in one_line(refused) and not target.exists()
    refused = run_cli("restore", tmp_path / "b", data=target)    # a folder of backups holding no complete one
    assert refused.returncode == 1 and "没有完整的备份" in one_line(refused) and not target.exists()
    (made / "CURRENT.away").rename(made / "CURRENT")

    gone = made / "snapshots" / made.joinpath("CURRENT").read_text().strip()
    gone.rename(gone.with_name("away"))                          # a snapshot the index lists is missing
    refused = run_cli("restore", made, data=target)
    assert refused.returncode == 1 and "缺少快照" in one_line(refused) and not target.exists()
    gone.with_name("away").rename(gone)

    damaged = sorted((made / "snapshots").rglob("*.parquet"))[-1]
    flip_byte_keeping_stat(damaged)                              # a file whose bytes changed: exit 3, naming it
    refused = run_cli("restore", made, data=target)
    line = one_line(refused)
    assert refused.returncode == 3 and damaged.relative_to(gone.parent).parts[1] in line and "校验和不符" in line
    assert not target.exists()

    target.mkdir()
    (target / "something").write_text("x")                       # a target that is not empty
    refused = run_cli("restore", made, data=target)
    assert refused.returncode == 2 and "空的" in one_line(refused)
    assert [p.name for p in target.iterdir()] == ["something"]


def test_prune_never_removes_current_or_a_file_it_needs(data):
    first, second = data.list()
    third = child(data, second, 3)
    data.set_current(second.id)                                  # rolled back: the newest is not CURRENT
    current_files = {p: p.stat().st_ino for p in (data.snapshots_dir / second.id).rglob("*.parquet")}

    dry = run_cli("prune", "--keep-last", "1", "--keep-days", "0", "--dry-run", data=data.root)
    assert dry.returncode == 0 and "将删除 1 个快照" in dry.stdout and first.id in dry.stdout
    assert {s.id for s in data.list()} == {first.id, second.id, third.id}

    done = run_cli("prune", "--keep-last", "1", "--keep-days", "0", data=data.root)
    assert done.returncode == 0 and done.stderr == "" and f"已删除 1 个快照（{first.id}）" in done.stdout
    assert [s.id for s in data.list()] == [second.id, third.id]
    assert data.current_id() == second.id
    verify(data.current())                                       # every file of CURRENT hashed again
    assert {p: p.stat().st_ino for p in current_files} == current_files

    result = prune_snapshots(data, keep_days=0, keep_last=0)     # CURRENT stays even when nothing else is kept
    assert result.removed == [third.id] and [s.id for s in data.list()] == [second.id]
    verify(data.current())


def test_prune_keeps_what_is_younger_than_keep_days(data):
    ids = [s.id for s in data.list()]
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    assert prune_snapshots(data, keep_days=3, keep_last=0, dry_run=True, now=soon).removed == []
    assert prune_snapshots(data, keep_days=1, keep_last=0, dry_run=True, now=soon).removed == ids[:1]


def test_the_freed_bytes_are_those_no_kept_snapshot_shares(data):
    first, second = data.list()
    data.set_current(second.id)
    own = [first.path / "manifest.json", *first.file_paths("targets")]   # the second shares every other file
    result = prune_snapshots(data, keep_days=0, keep_last=0, dry_run=True)
    assert result.removed == [first.id] and result.freed_bytes == sum(p.stat().st_size for p in own)


def test_prune_backups_keeps_the_newest_and_what_it_links(data, tmp_path):
    first = backups.backup(data, tmp_path / "b")
    second = backups.backup(data, tmp_path / "b")
    (tmp_path / "b" / ".tmp-20200101T000000000000Z").mkdir()     # what a backup that died left
    done = run_cli("prune", "--backups", tmp_path / "b", "--keep-last", "0", "--keep-days", "0")
    assert done.returncode == 0 and "已删除 2 个备份" in done.stdout, done.stderr
    assert backups.backup_sets(tmp_path / "b") == [second.path] and not first.path.exists()
    assert not list((tmp_path / "b").glob(".tmp-*"))
    restored = run_cli("restore", tmp_path / "b", data=tmp_path / "restored")
    assert restored.returncode == 0, restored.stderr


def test_sync_copies_only_new_snapshots_and_moves_current_last(data, tmp_path):
    replica = tmp_path / "replica"
    first = run_cli("sync", data.root, replica)
    assert first.returncode == 0 and "已同步 2 个新快照" in first.stdout, first.stderr
    mirror = SnapshotStore(replica)
    assert mirror.current_id() == data.current_id() and set(mirror.ids()) == set(data.ids())
    assert accounts.find_user(replica, "li") is not None         # who may sign in comes along
    assert not (replica / audit.FILE_NAME).exists()              # the replica's audit log is its own
    held = {p: p.stat().st_ino for p in mirror.snapshots_dir.rglob("*.parquet")}

    newest = child(data, data.current(), 5)
    damaged = next((newest.path / "targets").rglob("*.parquet"))
    original = damaged.read_bytes()
    flip_byte_keeping_stat(damaged)                              # the primary's new snapshot is damaged
    refused = run_cli("sync", data.root, replica)
    assert refused.returncode == 3 and "targets" in one_line(refused)
    assert mirror.current_id() != newest.id and newest.id not in mirror.ids()
    assert not list(mirror.snapshots_dir.glob(".tmp-*"))

    damaged.write_bytes(original)
    again = run_cli("sync", data.root, replica)
    assert again.returncode == 0 and "已同步 1 个新快照" in again.stdout, again.stderr
    assert mirror.current_id() == newest.id
    assert {p: p.stat().st_ino for p in held} == held             # what it held was left as it was
    shared = newest.path / "purchases"
    for path in shared.rglob("*.parquet"):                       # and the new snapshot links to it
        assert (mirror.snapshots_dir / newest.id / path.relative_to(newest.path)).stat().st_nlink >= 2
    verify(mirror.current())


def test_backup_refuses_a_destination_inside_the_data_folder(data):
    refused = run_cli("backup", data.root / "backups", data=data.root)
    assert refused.returncode == 2 and "数据目录之内" in one_line(refused)
    shutil.rmtree(data.root / "backups", ignore_errors=True)
