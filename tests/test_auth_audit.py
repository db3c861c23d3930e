"""The audit log: an entry per action with who, Beijing time and details; whole lines from concurrent processes; a
readable table and a CSV with formulas neutralised; imports recorded with who imported, also in the manifest."""

import datetime as dt
import errno
import json
import stat
import subprocess
import sys
import time

import pytest
from conftest import write_snapshot
from ledger_samples import csv_file, purchase

from fupin.auth import audit
from fupin.ledger.importer import import_ledgers
from fupin.settings import PROJECT_ROOT
from fupin.store.snapshot import StoreIOError
from fupin.store.store import SnapshotStore

WRITERS, ENTRIES = 4, 150
# Each entry is longer than a pipe's atomic write (4 KB), so only the lock keeps concurrent lines whole.
WRITER = """
import pathlib, sys, time
from fupin.auth import audit
folder = pathlib.Path(sys.argv[1])
(folder / f"ready{{sys.argv[2]}}").touch()
while not (folder / "go").exists():   # start together, so the writers overlap
    time.sleep(0.01)
for n in range({entries}):
    audit.record(sys.argv[1], f"writer{{sys.argv[2]}}", "boundary_upload", n=n, padding="x" * 6000)
"""


def test_each_entry_names_who_when_and_what(tmp_path):
    audit.record(tmp_path, "li", "switch_current", before="2018-12-29_A", after="2018-06-30_B")
    audit.record(tmp_path, "li", "boundary_upload", via="web", files=["乡镇边界.geojson"], sha256=["ab" * 32],
                 townships=13)
    first, second = audit.entries(tmp_path)
    assert (first["who"], first["action"], first["before"], first["after"]) == ("li", "switch_current",
                                                                             "2018-12-29_A", "2018-06-30_B")
    when = dt.datetime.fromisoformat(first["time"])
    assert when.utcoffset() == dt.timedelta(hours=8)
    assert abs(when - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)
    assert second["townships"] == 13 and second["files"] == ["乡镇边界.geojson"]
    assert stat.S_IMODE(audit.log_path(tmp_path).stat().st_mode) == 0o600


def test_an_unknown_action_is_refused(tmp_path):
    with pytest.raises(ValueError):
        audit.record(tmp_path, "li", "drop_tables")
    assert audit.entries(tmp_path) == []


def test_concurrent_writers_never_interleave(tmp_path):
    code = WRITER.format(entries=ENTRIES)
    writers = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path), str(k)], cwd=PROJECT_ROOT)
               for k in range(WRITERS)]
    deadline = time.monotonic() + 120
    while len(list(tmp_path.glob("ready*"))) < WRITERS and time.monotonic() < deadline:
        time.sleep(0.05)
    (tmp_path / "go").touch()
    assert [w.wait(timeout=120) for w in writers] == [0] * WRITERS
    lines = audit.log_path(tmp_path).read_text(encoding="utf-8").splitlines()
    assert len(lines) == WRITERS * ENTRIES
    entries = [json.loads(line) for line in lines]   # every line whole
    for k in range(WRITERS):
        assert [e["n"] for e in entries if e["who"] == f"writer{k}"] == list(range(ENTRIES))
    assert len({e["who"] for e in entries[:ENTRIES]}) > 1, "the writers did not overlap: the test proves nothing"


def test_the_table_has_chinese_headers_newest_first_and_keeps_a_broken_line(tmp_path):
    audit.record(tmp_path, "li", "account_add", via="cli", name="wang", role="leader", scope="140827")
    with open(audit.log_path(tmp_path), "a", encoding="utf-8") as f:
        f.write('{"time": "2026-11-23T10:0')   # a crash mid-line
    audit.record(tmp_path, "li", "import", table="purchases", files=["采购.csv"], sha256=["ff" * 32],
                 before="A", after="B", rows={"added": 2, "updated": 0})
    table = audit.frame(tmp_path)
    assert list(table.columns) == ["时间（北京时间）", "操作人", "途径", "操作", "数据表", "文件", "文件 SHA-256",
                                   "之前的快照", "之后的快照", "行数", "详情"]
    newest, broken, oldest = table.to_dict("records")
    assert (newest["操作"], newest["文件"], newest["之后的快照"], newest["行数"]) == ("导入（追加）", "采购.csv", "B",
                                                                             "新增 2，更新 0")
    assert broken["详情"].startswith("（此行无法读取）")
    assert (oldest["途径"], oldest["操作"], oldest["详情"]) == ("命令行", "新增账号", "账号 wang，角色 leader，范围 140827")
    assert len(oldest["时间（北京时间）"]) == 19 and "T" not in oldest["时间（北京时间）"]


def test_the_csv_neutralises_formulas_in_names(tmp_path):
    audit.record(tmp_path, "=HYPERLINK(\"http://x\")", "sign_in_failed", reason="用户名或密码错误")
    audit.record(tmp_path, "li", "boundary_upload", files=["@SUM(A1).geojson"])
    text = audit.csv(tmp_path).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'@SUM(A1).geojson" in text
    assert text.splitlines()[0].startswith("时间（北京时间）,操作人")


@pytest.fixture
def store(tmp_path, tiny_tables_data) -> SnapshotStore:
    store = SnapshotStore(tmp_path / "data")
    write_snapshot(store, tiny_tables_data)
    return store


def test_an_import_is_recorded_with_who_in_the_log_and_the_manifest(store):
    before = store.current_id()
    ledger = csv_file([purchase(date="2018-12-20"), purchase(date="2018-12-21", amount="54.4")], name="采购12月.csv")
    import_ledgers(store, "purchases", [ledger], by="li")
    [entry] = audit.entries(store.root)   # written by the import itself, under the store's lock
    assert [e["by"] for e in store.current().manifest["imports"]] == ["li"]
    assert (entry["who"], entry["via"]) == ("li", "web")
    assert (entry["action"], entry["table"], entry["files"], entry["sha256"]) == ("import", "purchases",
                                                                                 ["采购12月.csv"], [ledger.sha256])
    assert (entry["before"], entry["after"], entry["rows"]) == (before, store.current_id(), {"added": 2, "updated": 0})
    again = import_ledgers(store, "purchases", [ledger], by="li")   # the same file: nothing changes
    assert again.status == "unchanged" and len(audit.entries(store.root)) == 1


def test_an_import_whose_audit_entry_cannot_be_written_changes_nothing(store, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(audit, "record", full)
    before = store.current_id()
    with pytest.raises(StoreIOError, match=f"导入失败：审计日志无法写入（磁盘空间已满）。没有做任何更改，当前快照仍是 {before}"):
        import_ledgers(store, "purchases", [csv_file([purchase(date="2018-12-20")])], by="li")
    assert store.current_id() == before
