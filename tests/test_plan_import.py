"""Importing the registers behind the figures (tasks, help funds, pairings, visits, industries) into a snapshot of two
counties (the tiny 垣曲县 and 铁西区): good ledgers, every bad row named, registers updated by key, scope, audit."""

import datetime as dt

import pandas as pd
import pytest
from conftest import copy_store, write_snapshot
from ledger_samples import csv_file, table

from fupin.auth import audit
from fupin.ledger import plan_checks
from fupin.ledger.importer import import_ledgers
from fupin.ledger.places import TOWNSHIP_OUTSIDE, TOWNSHIP_UNKNOWN
from fupin.ledger.replacing import rows_to_remove
from fupin.ledger.validation import COUNTY_NEEDED
from fupin.ledger.values import DUE_FORMAT, NEGATIVE
from fupin.store import reference
from fupin.store.store import SnapshotStore

YUANQU, TIEXI = "140827", "220302"
TASK_HEADER = ["县", "方案名称", "印发单位", "印发日期", "任务序号", "所属部分", "任务内容", "牵头单位", "配合单位", "完成时限",
               "进展状态", "进展情况", "更新日期"]
PLAN = "铁西区关于深入开展消费扶贫助力打赢脱贫攻坚战实施方案"
FUND_HEADER = ["日期", "县", "乡镇", "资金类型", "来源单位", "统一社会信用代码", "用途", "项目名称", "金额(元)"]
PAIRING_HEADER = ["县", "乡镇", "帮扶单位", "结对日期", "结对方式"]
VISIT_HEADER = ["活动日期", "乡镇", "帮扶单位", "活动类型", "参加人数", "活动内容"]
INDUSTRY_HEADER = ["年度", "乡镇", "村", "产业", "项目名称", "建成数(个)", "规模", "规模单位", "带动贫困户(户)",
                   "带动农户(户)"]


@pytest.fixture(scope="module")
def template(tmp_path_factory, tiny_tables_data) -> SnapshotStore:
    """The tiny snapshot with 铁西区's townships and villages beside 垣曲县's."""
    tables = dict(tiny_tables_data)
    tables["counties"] = reference.counties((YUANQU, TIEXI))
    tables["townships"] = pd.concat([tables["townships"].assign(county_code=YUANQU), reference.townships((TIEXI,))],
                                    ignore_index=True)
    villages = reference.villages((TIEXI,)).assign(is_poor_village=False)
    tables["villages"] = pd.concat([tables["villages"].assign(county_code=YUANQU), villages], ignore_index=True)
    store = SnapshotStore(tmp_path_factory.mktemp("plan") / "data")
    write_snapshot(store, tables)
    return store


@pytest.fixture
def store(tmp_path, template) -> SnapshotStore:
    return copy_store(template, tmp_path / "data")


def task(no="17", due="2020-03-31", status="推进中", updated="2020-01-31", county="铁西区", issued="2019-12-07",
         lead="区商务局", support="平西乡人民政府"):
    return [county, PLAN, "四平市铁西区人民政府办公室", issued, no, "(二)努力拓宽贫困村农产品流通和销售渠道",
            "建立贫困村农产品滞销预警机制。", lead, support, due, status, "正在推进", updated]


def errors(result) -> set[tuple]:
    """(row, column, reason) of every error line of the report."""
    frame = result.report.frame()
    frame = frame[frame["类型"] == "错误"]
    return {(int(r["行号"]) if pd.notna(r["行号"]) else None, r["列"], r["原因"]) for r in frame.to_dict("records")}


def imported(store, table_name, header, rows, **options):
    return import_ledgers(store, table_name, [csv_file(rows, header, name=f"{table_name}.csv")], **options)


def test_a_good_task_ledger_is_imported_with_units_deadlines_and_statuses(store):
    rows = [task(), task(no="45", due="长期", status="长期", lead="区扶贫办，区商务局 ", support=""),
            task(no="17", status="已完成", updated="2020-03-31")]
    result = imported(store, "tasks", TASK_HEADER, rows, by="clerk1")
    assert result.status == "imported", result.report.frame()
    tasks = table(store.current(), "tasks").sort_values(["task_no", "update_date"], ignore_index=True)
    assert list(tasks["task_no"]) == [17, 17, 45] and set(tasks["county_code"]) == {TIEXI}
    assert list(tasks["status"]) == ["in_progress", "done", "ongoing"]
    assert tasks.at[2, "lead_units"] == "区扶贫办、区商务局" and pd.isna(tasks.at[2, "support_units"])
    assert pd.isna(tasks.at[2, "due_on"]) and bool(tasks.at[2, "long_term"])
    assert tasks.at[0, "due_on"] == dt.date(2020, 3, 31) and not tasks.at[0, "long_term"]
    # a task update moves the as-of date (it happened); the audit log names the import
    assert store.current().as_of == dt.date(2020, 3, 31)
    entry = audit.entries(store.root)[-1]
    assert entry["action"] == "import" and entry["table"] == "tasks" and entry["who"] == "clerk1"


def test_bad_task_rows_are_named_and_nothing_is_written(store):
    before = store.current_id()
    rows = [task(due="2019-06-30"),                       # row 2: deadline before the plan
            task(no="18", updated="2019-11-30"),          # row 3: an update before the plan was issued
            task(no="19", due="明年"),                     # row 4: not a deadline
            task(no="20", lead="、", status="快完成了"),    # row 5: no unit, unknown status
            task(no="21", county="")]                     # row 6: 垣曲 and 铁西 in the snapshot: which county?
    result = imported(store, "tasks", TASK_HEADER, rows)
    assert result.status == "rejected" and store.current_id() == before
    found = errors(result)
    assert (2, "完成时限", plan_checks.DUE_BEFORE_PLAN) in found
    assert (3, "更新日期", plan_checks.UPDATE_BEFORE_PLAN) in found
    assert (4, "完成时限", DUE_FORMAT) in found
    assert (5, "牵头单位", "没有单位名称") in found
    assert any(row == 5 and column == "进展状态" and reason.startswith("不是有效的进展状态") for row, column, reason in found)
    assert (6, "县", COUNTY_NEEDED) in found
    assert {row for row, _, _ in found} == {2, 3, 4, 5, 6}


def test_a_task_row_with_a_known_key_replaces_it_and_a_county_scope_fills_the_county(store):
    assert imported(store, "tasks", TASK_HEADER, [task()]).status == "imported"
    result = imported(store, "tasks", TASK_HEADER, [task(status="已完成", county="")], counties=(TIEXI,))
    assert result.status == "imported" and result.files[0].updated == 1
    tasks = table(store.current(), "tasks")
    assert len(tasks) == 1 and tasks["status"].tolist() == ["done"] and tasks["county_code"].tolist() == [TIEXI]
    again = imported(store, "tasks", TASK_HEADER, [task(status="已完成", county="")], counties=(TIEXI,))
    assert again.status == "unchanged"


def fund(date="2020-05-01", county="垣曲县", township="华峰乡", kind="捐赠资金", source="某某慈善基金会",
         code="", purpose="助学", project="", amount="50,000"):
    return [date, county, township, kind, source, code, purpose, project, amount]


def test_help_funds_good_and_bad(store):
    good = [fund(), fund(township="", kind="直接投入", source="国家市场监督管理总局", purpose="产业", amount="¥1,000,000"),
            fund(county="", township="平西乡", kind="捐物", purpose="医疗救助", amount="2000")]
    result = imported(store, "help_funds", FUND_HEADER, good)
    assert result.status == "imported", result.report.frame()
    funds = table(store.current(), "help_funds").sort_values("amount_yuan", ignore_index=True)
    assert funds["fund_kind"].tolist() == ["donated_goods", "donated_money", "direct"]
    assert funds["county_code"].tolist() == [TIEXI, YUANQU, YUANQU]
    assert funds["township_code"].tolist()[:2] == ["220302200", "140827203"] and pd.isna(funds["township_code"][2])
    assert funds["purpose"].tolist() == ["medical", "education", "industry"]
    bad = [fund(amount="-5"),                              # row 2: a negative amount
           fund(amount="0"),                               # row 3: nothing given
           fund(township="平西乡"),                          # row 4: 铁西区's township under 垣曲县
           fund(township="城关镇"),                          # row 5: no such township
           fund(code="91110000XXXXXXXXXX"),                # row 6: a bad credit code
           fund(county="", township="")]                   # row 7: no county to tell
    result = imported(store, "help_funds", FUND_HEADER, bad)
    assert result.status == "rejected"
    found = errors(result)
    assert {(2, "金额(元)", NEGATIVE), (3, "金额(元)", plan_checks.AMOUNT_NOT_POSITIVE), (4, "乡镇", TOWNSHIP_OUTSIDE),
            (5, "乡镇", TOWNSHIP_UNKNOWN), (7, "县", COUNTY_NEEDED)} <= found
    assert any(row == 6 and column == "统一社会信用代码" for row, column, _ in found)
    duplicate = imported(store, "help_funds", FUND_HEADER, good[:1])
    assert duplicate.status == "unchanged" and duplicate.files[0].duplicates == 1


def test_visits_need_a_paired_unit_of_the_county(store):
    pairings = [["垣曲县", "华峰乡", "办公厅", "2019-03-01", "一对一"], ["铁西区", "平西乡", "计量司", "2019-03-01", "2对1"],
                ["铁西区", "平西乡", "法规司", "2019-03-01", "二对一"]]
    assert imported(store, "pairings", PAIRING_HEADER, pairings).status == "imported"
    visits = [["2019-05-10", "华峰乡", "办公厅", "调研", "5", "调研产业发展"],
              ["2019-06-10", "平西乡", "计量司", "走访慰问", "3", ""],
              ["2019-06-11", "平西乡", "办公厅", "培训", "4", ""],        # row 4: 办公厅 is paired in 垣曲, not 铁西
              ["2019-06-12", "华峰乡", "不存在司", "党建", "2", ""],       # row 5: unknown unit
              ["2019-06-13", "平西乡", "法规司", "培训", "0", ""]]         # row 6: nobody went
    result = imported(store, "visits", VISIT_HEADER, visits)
    assert result.status == "rejected"
    assert errors(result) == {(4, "帮扶单位", plan_checks.UNIT_NOT_PAIRED), (5, "帮扶单位", plan_checks.UNIT_NOT_PAIRED),
                              (6, "参加人数", plan_checks.PEOPLE_NOT_POSITIVE)}
    result = imported(store, "visits", VISIT_HEADER, visits, only_valid=True)
    assert result.status == "imported" and result.files[0].added == 2
    saved = table(store.current(), "visits").sort_values("visit_date", ignore_index=True)
    assert saved["county_code"].tolist() == [YUANQU, TIEXI] and saved["visit_kind"].tolist() == ["research", "condolence"]
    modes = table(store.current(), "pairings").set_index("unit_name")["pairing_mode"]
    assert modes.to_dict() == {"办公厅": "one_to_one", "计量司": "two_to_one", "法规司": "two_to_one"}


def test_a_pairing_of_a_township_outside_the_importers_counties_is_refused(store):
    result = imported(store, "pairings", PAIRING_HEADER, [["", "平西乡", "计量司", "2019-03-01", "一对一"]],
                      counties=(YUANQU,))
    assert result.status == "rejected" and errors(result) == {(2, "乡镇", TOWNSHIP_OUTSIDE)}


def test_industries_good_and_bad(store):
    rows = [["2019", "华峰乡", "西型马村", "光伏", "村级光伏扶贫电站", "1", "0.5", "MW", "30", ""],
            ["2019", "华峰乡", "", "劳务", "转移就业", "", "", "", "", ""],
            ["2019", "平西乡", "", "光伏", "", "", "2", "", "50", "40"],          # row 4: no unit, poor > farm
            ["2019", "新城镇", "西型马村", "食用菌", "", "", "", "", "", ""]]      # row 5: village of another township
    result = imported(store, "industries", INDUSTRY_HEADER, rows)
    assert result.status == "rejected"
    assert {(4, "规模单位", plan_checks.SCALE_WITHOUT_UNIT), (4, "带动贫困户(户)", plan_checks.POOR_OVER_FARM)} <= errors(result)
    assert any(row == 5 and column == "村" for row, column, _ in errors(result))
    assert imported(store, "industries", INDUSTRY_HEADER, rows[:2]).status == "imported"
    updated = imported(store, "industries", INDUSTRY_HEADER,
                       [["2019", "华峰乡", "西型马村", "光伏", "村级光伏扶贫电站", "1", "0.6", "MW", "32", ""]])
    assert updated.files[0].updated == 1
    saved = table(store.current(), "industries").set_index("industry")
    assert saved.at["光伏", "scale"] == 0.6 and saved.at["光伏", "poor_households"] == 32
    assert saved.at["光伏", "village_code"] == "140827203216" and pd.isna(saved.at["劳务", "village_code"])
    assert store.current().as_of == dt.date(2018, 12, 29), "a year's industries move no as-of date"


def test_a_replace_counts_what_it_removes_per_year_and_place(store):
    imported(store, "help_funds", FUND_HEADER, [fund(), fund(date="2019-02-01", township="", amount="7")])
    counts = rows_to_remove(store.current(), "help_funds")
    assert counts.to_dict("records") == [
        {"年度": 2019, "乡镇代码": YUANQU, "乡镇": "垣曲县", "将删除的行数": 1},
        {"年度": 2020, "乡镇代码": "140827203", "乡镇": "华峰乡", "将删除的行数": 1}]
    result = imported(store, "help_funds", FUND_HEADER, [fund(amount="9")], mode="replace", replace_confirmed=2)
    assert result.status == "imported" and table(store.current(), "help_funds")["amount_yuan"].tolist() == [9.0]


def test_overdue_and_stale_are_counted_from_the_day_after(store):
    """A task is overdue from the day after its deadline and stale from the 31st day without an update."""
    from fupin.query.db import SnapshotDB
    from fupin.query.filters import Filter
    from fupin.report.tasks_inputs import STALE_DAYS

    assert STALE_DAYS == 30, "queries/tasks/task_status.sql counts 30 days: change both"
    imported(store, "tasks", TASK_HEADER, [task(due="2020-06-30", updated="2020-05-31"),
                                           task(no="18", due="2020-06-30", status="已完成", updated="2020-05-31"),
                                           task(no="19", due="长期", status="长期坚持", updated="2020-05-31")])
    db = SnapshotDB(store.current())
    try:
        def flags(day: dt.date) -> dict[int, tuple[bool, bool]]:
            rows = db.run_filtered("task_status", Filter.year_to_date(day, counties=(TIEXI,)))
            return {int(r["task_no"]): (bool(r["overdue"]), bool(r["stale"])) for r in rows.to_dict("records")}

        assert flags(dt.date(2020, 6, 30)) == {17: (False, False), 18: (False, False), 19: (False, False)}
        assert flags(dt.date(2020, 7, 1)) == {17: (True, True), 18: (False, False), 19: (False, True)}
        assert flags(dt.date(2020, 5, 30)) == {}, "nothing reported yet on that day"
    finally:
        db.close()


def test_a_snapshot_written_before_the_registers_reads_them_as_empty_and_an_import_adds_them(store):
    """A schema-3 snapshot of before these tables: served with none of them, and the next import brings them."""
    import json
    import shutil

    from fupin.query.db import SnapshotDB
    from fupin.query.filters import Filter
    from fupin.report import tasks_inputs
    from fupin.store.plan_tables import PLAN_TABLES

    old = store.current()
    manifest = json.loads((old.path / "manifest.json").read_text(encoding="utf-8"))
    for name in PLAN_TABLES:
        assert manifest["tables"].pop(name)["files"] == []   # written empty: no partition folder
        shutil.rmtree(old.path / name, ignore_errors=True)
    (old.path / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    served = store.serve().snapshot
    assert served.id == old.id and all(served.rows(name) == 0 for name in PLAN_TABLES)
    db = SnapshotDB(served)
    try:
        assert tasks_inputs.plan_inputs(db, Filter.year_to_date(dt.date(2018, 12, 29), counties=(YUANQU,))).empty
    finally:
        db.close()
    result = imported(store, "pairings", PAIRING_HEADER, [["垣曲县", "华峰乡", "办公厅", "2018-03-01", "一对一"]])
    assert result.status == "imported"
    new = store.current()
    assert new.rows("pairings") == 1 and all(name in new.manifest["tables"] for name in PLAN_TABLES)


def test_the_command_line_imports_a_register_and_refuses_a_bad_one(store, tmp_path):
    from conftest import run_cli

    bad, good = tmp_path / "任务坏.csv", tmp_path / "任务.csv"
    bad.write_bytes(csv_file([task(due="2019-01-01")], TASK_HEADER, bad.name).content)
    good.write_bytes(csv_file([task()], TASK_HEADER, good.name, encoding="gbk").content)
    refused = run_cli("import", "tasks", bad, data=store.root)
    assert refused.returncode == 1 and f"第2行 [完成时限] “2019-01-01”：{plan_checks.DUE_BEFORE_PLAN}" in refused.stdout
    done = run_cli("import", "tasks", good, data=store.root)
    assert done.returncode == 0 and "已导入任务督办台账：新增 1 行" in done.stdout, done.stdout + done.stderr
