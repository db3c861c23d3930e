"""`python -m fupin import`: exit statuses, the brief after an import, a killed import, two imports at once."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from conftest import copy_store, run_cli
from ledger_samples import csv_file, purchase

from fupin.settings import PROJECT_ROOT
from fupin.store.snapshot import verify
from fupin.store.store import SnapshotStore


@pytest.fixture
def store(tmp_path, tiny_store) -> SnapshotStore:
    return copy_store(tiny_store, tmp_path / "data")


def ledger_path(tmp_path, rows, name="采购.csv", encoding="gbk"):
    path = tmp_path / name
    path.write_bytes(csv_file(rows, name=name, encoding=encoding).content)
    return path


def test_import_then_brief_shows_the_new_totals(store, tmp_path):
    before = json.loads(run_cli("brief", "--format", "json", data=store.root).stdout)
    path = ledger_path(tmp_path, [purchase(date="2018-12-20", amount="￥12,345.60", weight="1,000", village="下王村"),
                                  purchase(date="2018-12-21", amount="54.4", weight="2", village="上王村")])
    result = run_cli("import", "purchases", path, data=store.root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "已导入采购台账：新增 2 行" in result.stdout
    after = json.loads(run_cli("brief", "--format", "json", data=store.root).stdout)
    assert after["snapshot"] == store.current_id() != before["snapshot"]
    assert after["purchase_amount_yuan"] == pytest.approx(before["purchase_amount_yuan"] + 12400.0)
    assert after["purchase_weight_kg"] == pytest.approx(before["purchase_weight_kg"] + 1002)
    assert after["poor_village_amount_yuan"] == pytest.approx(before["poor_village_amount_yuan"] + 12345.6)


def test_rejected_import_prints_the_report_and_exits_1(store, tmp_path):
    path = ledger_path(tmp_path, [purchase(date="2018年2月30日"), purchase(amount="--"), purchase(township="某某乡")])
    report = tmp_path / "报告.csv"
    result = run_cli("import", "purchases", path, "--report", report, data=store.root)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "错误  采购.csv 第2行 [采购日期] “2018年2月30日”：日期不存在（月份或日子超出范围）"
    assert any("第3行 [金额(元)] “--”：必填项为空" in line for line in lines)
    assert any("第4行 [乡镇] “某某乡”：乡镇不存在" in line for line in lines)
    assert lines[-1].startswith("已拒绝：发现 3 处错误")
    content = report.read_bytes()
    assert content.startswith(b"\xef\xbb\xbf") and "文件,行号,列,值,原因,类型" in content.decode("utf-8-sig")
    assert len(store.list()) == 1


def test_dry_run_and_only_valid(store, tmp_path):
    path = ledger_path(tmp_path, [purchase(), purchase(date="abc")])
    assert run_cli("import", "purchases", path, "--dry-run", "--only-valid", data=store.root).returncode == 0
    assert len(store.list()) == 1
    result = run_cli("import", "purchases", path, "--only-valid", data=store.root)
    assert result.returncode == 0 and len(store.list()) == 2
    again = run_cli("import", "purchases", path, "--only-valid", data=store.root)
    assert again.returncode == 0 and "已导入过" in again.stdout and len(store.list()) == 2


@pytest.mark.parametrize("args, message", [
    (["import", "purchases", "/nonexistent/采购.csv"], "文件不存在"),
    (["import", "sales", "x.csv"], "invalid choice"),
    (["import", "purchases"], "required"),
    (["import", "purchases", "x.csv", "--mode", "merge"], "invalid choice"),
])
def test_usage_errors_exit_2(store, args, message):
    result = run_cli(*args, data=store.root)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_no_snapshot_yet_is_one_line_and_exit_2(tmp_path):
    path = ledger_path(tmp_path, [purchase()])
    result = run_cli("import", "purchases", path, data=tmp_path / "empty")
    assert result.returncode == 2 and "还没有快照" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_file_over_the_limit_is_a_usage_error(store, tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * (1024 * 1024 + 1))
    env = {**os.environ, "FUPIN_MAX_UPLOAD_MB": "1"}
    result = subprocess.run([sys.executable, "-m", "fupin", "--data", str(store.root), "import", "purchases",
                             str(path)], cwd=PROJECT_ROOT, capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 2 and "超过 1 MB" in result.stderr


SLOW_IMPORT = textwrap.dedent("""
    import sys
    sys.path.insert(0, {root!r})
    from fupin.store.store import SnapshotStore
    from fupin.ledger.files import LedgerFile
    from fupin.ledger.importer import import_ledgers

    paused = []

    def progress(fraction, message):
        if message.startswith("写入") and not paused:
            paused.append(message)
            print("writing", flush=True)
            sys.stdin.readline()   # hold the lock until the test says go

    path = {path!r}
    with open(path, "rb") as f:
        file = LedgerFile("slow.csv", f.read())
    result = import_ledgers(SnapshotStore({data!r}), "purchases", [file], progress=progress)
    print(result.status, flush=True)
""")


def slow_import(store, path):
    """An import in a process of its own, stopped while it writes (holding the store's lock) until `go(proc)`."""
    script = SLOW_IMPORT.format(root=str(PROJECT_ROOT), data=str(store.root), path=str(path))
    proc = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "writing"
    return proc


def go(proc) -> None:
    proc.stdin.write("\n")
    proc.stdin.flush()


def test_an_import_killed_while_writing_leaves_the_old_snapshot_current_and_intact(store, tmp_path):
    first = store.current()
    proc = slow_import(store, ledger_path(tmp_path, [purchase()], encoding="utf-8"))
    assert list(store.snapshots_dir.glob(".tmp-*")), "the import was writing its snapshot"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert store.current_id() == first.id and [s.id for s in store.list()] == [first.id]
    verify(store.current())
    result = run_cli("import", "purchases", ledger_path(tmp_path, [purchase()]), data=store.root)
    assert result.returncode == 0, result.stderr
    assert not list(store.snapshots_dir.glob(".tmp-*")), "the next import clears what the dead one left"
    assert store.current().manifest["parent"] == first.id


def test_a_second_import_waits_for_the_first(store, tmp_path):
    first = store.current_id()
    proc = slow_import(store, ledger_path(tmp_path, [purchase()], name="a.csv", encoding="utf-8"))
    second = subprocess.Popen([sys.executable, "-m", "fupin", "--data", str(store.root), "import", "purchases",
                               str(ledger_path(tmp_path, [purchase(date="2018-12-22")], name="b.csv"))],
                              cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(0.8)
    assert second.poll() is None, "the second import waits while the first holds the lock"
    go(proc)
    assert proc.stdout.readline().strip() == "imported" and proc.wait() == 0
    assert second.wait(timeout=120) == 0, second.stderr.read()
    history = store.current().manifest["imports"]
    assert [e["file"] for e in history] == ["slow.csv", "b.csv"]      # both kept: the second built on the first
    snapshots = store.list()
    assert len(snapshots) == 3 and snapshots[1].manifest["parent"] == first
    assert snapshots[2].manifest["parent"] == snapshots[1].id


def test_a_second_import_that_cannot_wait_is_refused_with_a_clear_message(store, tmp_path):
    # The first import holds the lock until the test lets it go, however loaded the machine is.
    proc = slow_import(store, ledger_path(tmp_path, [purchase()], name="a.csv", encoding="utf-8"))
    second = run_cli("import", "purchases", ledger_path(tmp_path, [purchase(date="2018-12-22")], name="b.csv"),
                   "--wait", "0.5", data=store.root)
    assert proc.poll() is None, "the first import was still holding the lock"
    assert second.returncode == 2
    assert "另一个导入正在进行，请稍后再试" in second.stderr and "Traceback" not in second.stderr
    go(proc)
    assert proc.wait(timeout=120) == 0
    assert [e["file"] for e in store.current().manifest["imports"]] == ["slow.csv"]


def test_replace_needs_yes_and_shows_what_it_removes(store, tmp_path):
    path = ledger_path(tmp_path, [purchase()])
    refused = run_cli("import", "purchases", path, "--mode", "replace", data=store.root)
    assert refused.returncode == 2 and len(store.list()) == 1
    assert "替换将删除采购台账现有的全部 400 行" in refused.stdout and "将删除的行数" in refused.stdout
    assert "--yes" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    assert run_cli("import", "purchases", path, "--mode", "replace", "--dry-run", data=store.root).returncode == 0
    done = run_cli("import", "purchases", path, "--mode", "replace", "--yes", data=store.root)
    assert done.returncode == 0, done.stderr
    assert store.current().rows("purchases") == 1


def test_the_report_csv_neutralises_formulas_from_cells_and_file_names(store, tmp_path):
    name = "=cmd|' -C calc'!A0.csv"
    path = ledger_path(tmp_path, [purchase(supplier='=HYPERLINK("http://evil.example","点我")', date="abc"),
                                  purchase(product="@SUM(A1)", amount="-5")], name=name)
    report = tmp_path / "报告.csv"
    result = run_cli("import", "purchases", path, "--report", report, data=store.root)
    assert result.returncode == 1
    import csv
    import io
    rows = list(csv.reader(io.StringIO(report.read_bytes().decode("utf-8-sig"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'" + name in cells and "'-5" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_a_damaged_store_exits_3_with_one_line_naming_the_file(store, tmp_path):
    path = store.current().file_paths("inspections")[-1]
    data = bytearray(path.read_bytes())
    data[len(data) // 2:len(data) // 2 + 40] = b"\xff" * 40
    path.write_bytes(bytes(data))
    for args in (["brief"], ["import", "purchases", ledger_path(tmp_path, [purchase()])]):
        result = run_cli(*args, data=store.root)
        assert result.returncode == 3 and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and str(path.relative_to(store.current().path)) in result.stderr
