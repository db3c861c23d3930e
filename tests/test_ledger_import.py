"""Importing ledgers into the tiny snapshot: new snapshots, every problem reported, duplicates, registers, as-of."""

import datetime as dt

import pandas as pd
import pytest
from conftest import copy_store, write_snapshot
from ledger_samples import csv_file, purchase, table, xlsx_file

from fupin.ledger.files import LedgerFile
from fupin.ledger.importer import import_ledgers
from fupin.ledger.plan import live_imports
from fupin.ledger.replacing import ReplaceNotConfirmed, rows_in_table, rows_to_remove
from fupin.ledger.report import ERROR
from fupin.ledger.result import file_summaries
from fupin.store.credit_code import make_cooperative_code
from fupin.store.snapshot import verify
from fupin.store.store import SnapshotStore
from fupin.text import fmt


@pytest.fixture
def store(tmp_path, tiny_store) -> SnapshotStore:
    return copy_store(tiny_store, tmp_path / "data")


def new_rows(snapshot, name: str) -> pd.DataFrame:
    """Rows an import added to the tiny snapshot (400 purchases, 120 inspections), in id order."""
    id_column, last = {"purchases": ("purchase_id", 400), "inspections": ("inspection_id", 120)}[name]
    rows = table(snapshot, name)
    return rows[rows[id_column] > last].sort_values(id_column).reset_index(drop=True)


def report_rows(result) -> set[tuple]:
    """(row, column, value, reason, kind) of every report line."""
    frame = result.report.frame()
    return {(r["行号"] if pd.notna(r["行号"]) else None, r["列"], r["值"], r["原因"], r["类型"])
            for r in frame.to_dict("records")}


def matches(rows: set[tuple], expected: set[tuple]) -> bool:
    """Whether report rows are exactly the expected ones, each reason starting with the expected words."""
    found = {(r, c, v, k): reason for r, c, v, reason, k in rows}
    wanted = {(r, c, v, k): reason for r, c, v, reason, k in expected}
    return found.keys() == wanted.keys() and all(found[key].startswith(wanted[key]) for key in found)


def test_append_writes_a_new_current_snapshot_and_keeps_the_old_one(store):
    before = store.current()
    rows = [purchase(), purchase(date="2018/12/21", village="上王村委会", weight="500", amount="1,200.50")]
    result = import_ledgers(store, "purchases", [csv_file(rows)])
    assert result.status == "imported" and result.accepted, result.message
    after = store.current()
    assert after.id == result.snapshot.id != before.id and after.manifest["parent"] == before.id
    assert [s.id for s in store.list()] == [before.id, after.id]
    assert fmt.data_label(after) in result.message and after.id not in result.message
    verify(before)
    verify(after)
    new = new_rows(after, "purchases")
    assert list(new["purchase_id"]) == [401, 402]          # ids continue after the largest
    assert list(new["weight_kg"]) == [1000.0, 500.0] and list(new["amount_yuan"]) == [1600.0, 1200.5]
    assert list(new["from_poor_village"]) == [True, False]  # from the reference table, not the ledger
    assert list(new["village_code"]) == ["140827100201", "140827100200"]
    assert set(new["buyer_id"]) == {"B1"} and set(new["channel"]) == {"retail"}   # derived from the buyer type
    assert after.rows("purchases") == before.rows("purchases") + 2
    assert after.rows("inspections") == before.rows("inspections")
    entry = after.manifest["imports"][-1]
    assert {k: entry[k] for k in ("file", "table", "mode", "rows_added", "duplicates_skipped", "rejected_rows")} == \
        {"file": "采购台账.csv", "table": "purchases", "mode": "append", "rows_added": 2, "duplicates_skipped": 0,
         "rejected_rows": 0}
    assert len(entry["sha256"]) == 64 and entry["imported_at"]
    assert after.manifest["source"]["files"] == ["采购台账.csv"]


def test_every_problem_of_every_row_is_reported_and_nothing_is_written(store):
    before = store.current_id()
    rows = [
        purchase(),                                                        # row 2: fine
        purchase(date="2018年2月30日", amount="--"),                         # row 3
        purchase(date="abc", township="某某乡"),                             # row 4
        purchase(weight="1,2,3", amount="¥-5", village="望仙村"),            # row 5: 望仙村 is in 历山镇
        purchase(buyer="新开张超市", supplier_type="个体户"),                  # row 6
        purchase(buyer="新开张超市", buyer_type="小卖部"),                     # row 7
        purchase(buyer="万盛新时代广场", buyer_type="餐饮"),                   # row 8: registered as 商超
    ]
    result = import_ledgers(store, "purchases", [csv_file(rows)])
    assert result.status == "rejected" and not result.accepted
    assert store.current_id() == before and len(store.list()) == 1
    assert matches(report_rows(result), {
        (3, "采购日期", "2018年2月30日", "日期不存在（", "错误"),
        (3, "金额(元)", "--", "必填项为空", "错误"),
        (4, "采购日期", "abc", "无法识别的日期", "错误"),
        (4, "乡镇", "某某乡", "乡镇不存在（", "错误"),
        (5, "数量(公斤)", "1,2,3", "不是数字（可", "错误"),
        (5, "金额(元)", "¥-5", "不能为负数", "错误"),
        (5, "村", "望仙村", "该村不在所填乡", "错误"),
        (6, "采购单位", "新开张超市", "采购单位未登记", "错误"),
        (6, "供货方类型", "个体户", "不是有效的供货", "错误"),
        (7, "采购单位类型", "小卖部", "不是有效的采购", "错误"),
        (8, "采购单位", "万盛新时代广场", "采购单位类型与", "错误"),
    })
    assert result.files[0].rejected == 6 and result.files[0].added == 0   # nothing was imported
    assert "已拒绝" in result.message and "只导入有效行" in result.message


def test_only_valid_rows_imports_the_rest_and_records_the_rejected(store):
    rows = [purchase(), purchase(date="2018年2月30日"), purchase(amount="¥88")]
    result = import_ledgers(store, "purchases", [csv_file(rows)], only_valid=True)
    assert result.status == "imported"
    assert result.files[0].added == 2 and result.files[0].rejected == 1
    assert store.current().manifest["imports"][-1]["rejected_rows"] == 1
    assert "未导入有错误的 1 行" in result.message


def test_only_valid_with_no_valid_row_is_rejected(store):
    result = import_ledgers(store, "purchases", [csv_file([purchase(date="abc")])], only_valid=True)
    assert result.status == "rejected" and len(store.list()) == 1


def test_a_new_buyer_is_registered_when_the_ledger_gives_its_type(store):
    rows = [purchase(buyer="老李饭店", buyer_type="餐饮"), purchase(buyer="老李饭店", date="2018-12-22")]
    result = import_ledgers(store, "purchases", [csv_file(rows)])
    assert result.status == "imported", result.report.to_text()
    buyers = table(store.current(), "buyers")
    added = buyers[buyers["buyer_name"] == "老李饭店"]
    assert list(added["buyer_id"]) == ["B000005"] and list(added["buyer_type"]) == ["catering"]
    new = new_rows(store.current(), "purchases")
    assert set(new["buyer_id"]) == {"B000005"} and set(new["channel"]) == {"catering"}


def test_a_new_buyer_with_two_types_is_an_error(store):
    rows = [purchase(buyer="老李饭店", buyer_type="餐饮"), purchase(buyer="老李饭店", buyer_type="商超")]
    result = import_ledgers(store, "purchases", [csv_file(rows)])
    assert matches(report_rows(result), {(3, "采购单位", "老李饭店", "同一个新采购单位", "错误")})


def test_words_staff_write_are_imported_with_a_hint_per_word(store):
    rows = [purchase(buyer="老李饭店", buyer_type="饭店"),                       # row 2: a new buyer, 饭店 = 餐饮
            purchase(buyer="老李饭店", buyer_type="饭店", date="2018-12-21"),    # row 3
            purchase(buyer="金达制粉有限公司", buyer_type="食品加工企业", supplier_type="脱贫户"),  # row 4
            purchase(buyer="万盛新时代广场", buyer_type="超市", date="2018-12-22")]   # row 5
    result = import_ledgers(store, "purchases", [csv_file(rows)])
    assert result.status == "imported", result.report.to_text()
    assert matches(report_rows(result), {
        (2, "采购单位类型", "饭店", "按“餐饮”导入（共 2 行", "提示"),
        (4, "采购单位类型", "食品加工企业", "按“食品企业”导入", "提示"),
        (5, "采购单位类型", "超市", "按“商超”导入", "提示"),
        (4, "供货方类型", "脱贫户", "按“贫困户”导入", "提示"),
    })
    new = new_rows(store.current(), "purchases")
    assert list(new["buyer_type"]) == ["catering", "catering", "food_enterprise", "supermarket"]
    assert "提示  采购台账.csv 第2行 [采购单位类型] “饭店”：按“餐饮”导入（共 2 行" in result.report.to_text()


def test_an_unknown_word_is_still_refused_beside_the_hints(store):
    rows = [purchase(buyer="老李饭店", buyer_type="饭店"), purchase(buyer="小张商店", buyer_type="小卖部")]
    result = import_ledgers(store, "purchases", [csv_file(rows)])
    assert result.status == "rejected"
    assert ("错误", 3, "采购单位类型", "小卖部") in {(e["kind"], e["row"], e["column"], e["value"])
                                                 for e in result.report.entries}
    assert result.report.frame()["类型"].tolist()[-1] == "提示", "hints come after the errors"


def test_channel_from_the_ledger_wins(store):
    header = ["采购日期", "采购单位", "渠道", "供货方", "供货方类型", "乡镇", "村", "产品类别", "数量(公斤)", "金额(元)"]
    row = ["2018-12-20", "万盛新时代广场", "活动展销", "张三", "脱贫户", "140827100", "140827100201", "蔬菜", "3", "4"]
    result = import_ledgers(store, "purchases", [csv_file([row], header=header)])
    assert result.status == "imported"
    new = new_rows(store.current(), "purchases").iloc[0]
    assert new["channel"] == "fair" and new["supplier_type"] == "poor_household" and pd.isna(new["product_name"])


def test_duplicates_in_the_file_and_in_the_snapshot_are_counted_once(store):
    import_ledgers(store, "purchases", [csv_file([purchase()], name="一月.csv")])
    total = table(store.current(), "purchases")["amount_yuan"].sum()
    rows = [purchase(), purchase(amount="99"), purchase(weight="1000", amount="99.0")]
    result = import_ledgers(store, "purchases", [csv_file(rows, name="二月.csv")])
    assert result.status == "imported"
    assert (result.files[0].added, result.files[0].duplicates) == (1, 2)
    assert matches(report_rows(result), {(2, None, None, "与快照中已有", "重复"), (4, None, None, "与二月.csv 第3行", "重复")})
    assert table(store.current(), "purchases")["amount_yuan"].sum() == pytest.approx(total + 99)


def test_the_same_file_twice_changes_nothing(store):
    file = csv_file([purchase(), purchase(date="2018-12-21")])
    first = import_ledgers(store, "purchases", [file])
    snapshots = [s.id for s in store.list()]
    again = import_ledgers(store, "purchases", [LedgerFile("改了名字.csv", file.content)])
    assert first.status == "imported" and again.status == "unchanged" and again.accepted
    assert again.snapshot is None and [s.id for s in store.list()] == snapshots
    assert again.files[0].imported_before["sha256"] == file.sha256
    assert "已导入过" in again.message


def test_the_same_rows_in_another_encoding_change_nothing(store):
    rows = [purchase(amount="￥1600")]
    import_ledgers(store, "purchases", [csv_file(rows, encoding="utf-8-sig")])
    snapshots = len(store.list())
    again = import_ledgers(store, "purchases", [csv_file(rows, encoding="gbk")])
    assert again.status == "unchanged" and again.files[0].duplicates == 1 and len(store.list()) == snapshots


def test_replace_mode_replaces_the_table_and_numbers_on(store):
    file = csv_file([purchase(), purchase(date="2018-12-21")])
    result = import_ledgers(store, "purchases", [file], mode="replace", replace_confirmed=400)
    assert result.status == "imported"
    purchases = table(store.current(), "purchases")
    assert len(purchases) == 2 and sorted(purchases["purchase_id"]) == [401, 402]
    assert table(store.current(), "inspections").shape[0] == 120
    assert import_ledgers(store, "purchases", [file], mode="replace", replace_confirmed=2).status == "unchanged"


@pytest.mark.parametrize("confirmed, reason", [(None, "需要先确认这个行数"), (3, "与采购台账现有的 400 行不符")])
def test_a_replace_needs_the_removed_row_count_confirmed(store, confirmed, reason):
    before = store.current_id()
    with pytest.raises(ReplaceNotConfirmed, match=reason):
        import_ledgers(store, "purchases", [csv_file([purchase()] * 3)], mode="replace", replace_confirmed=confirmed)
    assert store.current_id() == before and len(store.list()) == 1
    assert import_ledgers(store, "purchases", [csv_file([purchase()])], mode="replace", dry_run=True).status == "checked"


def test_what_a_replace_removes_is_shown_per_year_and_township(store, tiny_tables_data):
    shown = rows_to_remove(store.current(), "purchases")
    assert list(shown.columns) == ["年度", "乡镇代码", "乡镇", "将删除的行数"]
    assert shown["将删除的行数"].sum() == 400 == rows_in_table(store.current(), "purchases")
    purchases = tiny_tables_data["purchases"]
    expected = purchases.groupby([pd.to_datetime(purchases["purchase_date"]).dt.year, "township_code"]).size()
    assert dict(zip(zip(shown["年度"], shown["乡镇代码"]), shown["将删除的行数"])) == expected.to_dict()
    assert set(shown["乡镇"]) == {"新城镇", "历山镇", "华峰乡"}
    targets = rows_to_remove(store.current(), "targets")
    assert dict(zip(targets["乡镇"], targets["将删除的行数"])) == {"垣曲县": 1, "新城镇": 1, "历山镇": 1, "华峰乡": 1}


def test_after_a_replace_earlier_files_count_as_imported_no_more(store):
    a, b = csv_file([purchase()], name="a.csv"), csv_file([purchase(date="2018-12-22")], name="b.csv")
    import_ledgers(store, "purchases", [a])
    import_ledgers(store, "purchases", [b], mode="replace", replace_confirmed=401)
    assert [e["file"] for e in live_imports(store.current().manifest["imports"], "purchases")] == ["b.csv"]
    result = import_ledgers(store, "purchases", [a])
    assert result.status == "imported" and len(table(store.current(), "purchases")) == 2


def test_dry_run_reports_and_writes_nothing(store):
    result = import_ledgers(store, "purchases", [csv_file([purchase()])], dry_run=True)
    assert result.status == "checked" and result.snapshot is None and len(store.list()) == 1
    assert "预检通过" in result.message and result.as_of == dt.date(2018, 12, 29)


@pytest.mark.parametrize("dates, as_of", [
    (["2019-01-05", "2018-03-01"], dt.date(2019, 1, 5)),   # a later ledger moves the dashboard's date forward
    (["2018-03-01"], dt.date(2018, 12, 29)),               # older rows never move it back
])
def test_as_of_is_the_later_of_the_parent_and_the_rows(store, dates, as_of):
    result = import_ledgers(store, "purchases", [csv_file([purchase(date=d) for d in dates])])
    assert result.snapshot.as_of == as_of and store.current().id.startswith(as_of.isoformat())


def test_xlsx_with_a_title_row_excel_dates_and_a_named_sheet(store):
    rows = [[dt.datetime(2018, 12, 20), "万盛新时代广场", None, "张三", "贫困户", "新城镇", "下王村", "蔬菜", "辣椒",
             1000, 1600.5],
            [43455, "万盛新时代广场", None, "张三", "贫困户", 140827100, 140827100201, "蔬菜", "辣椒", 12.5, "88"]]
    file = xlsx_file(rows, sheet="2018年", title="垣曲县消费扶贫采购台账（2018年12月）")
    result = import_ledgers(store, "purchases", [file], sheet="2018年")
    assert result.status == "imported", result.report.to_text()
    new = new_rows(store.current(), "purchases")
    assert list(new["purchase_date"]) == [dt.date(2018, 12, 20), dt.date(2018, 12, 21)]
    assert list(new["amount_yuan"]) == [1600.5, 88.0]
    assert import_ledgers(store, "purchases", [file], sheet="2019年").status == "rejected"


@pytest.mark.parametrize("file, reason", [
    (LedgerFile("a.csv", bytes(range(256))), "不是 CSV 文本"),
    (LedgerFile("a.csv", b""), "文件是空的"),
    (csv_file([]), "只有表头"),
])
def test_files_that_are_no_ledger_are_rejected_with_the_reason(store, file, reason):
    result = import_ledgers(store, "purchases", [file], only_valid=True)
    assert result.status == "rejected" and len(store.list()) == 1
    assert reason in result.report.frame()["原因"].iloc[0]


def test_missing_and_unknown_columns_reject_even_with_only_valid(store):
    header = ["采购日期", "采购单位", "供货方", "供货方类型", "乡镇", "产品类别", "数量(公斤)", "金额(元)", "联系电话"]
    result = import_ledgers(store, "purchases", [csv_file([["2018-12-20"] * 9], header=header)], only_valid=True)
    assert result.status == "rejected"
    assert matches(report_rows(result), {(1, "村", None, "缺少必填列", "错误"), (1, "联系电话", None, "未知的列", "错误")})


def test_one_bad_file_rejects_the_whole_import(store):
    good, bad = csv_file([purchase()], name="good.csv"), LedgerFile("bad.csv", b"")
    result = import_ledgers(store, "purchases", [good, bad])
    assert result.status == "rejected" and len(store.list()) == 1


def test_two_files_make_one_snapshot_with_one_history_entry_each(store):
    files = [csv_file([purchase()], name="a.csv"), csv_file([purchase(date="2018-12-23")], name="b.csv")]
    result = import_ledgers(store, "purchases", files)
    assert result.status == "imported" and len(store.list()) == 2
    imports = store.current().manifest["imports"]
    assert [e["file"] for e in imports] == ["a.csv", "b.csv"] and imports[0]["import_id"] == imports[1]["import_id"]
    assert list(file_summaries(result)["新增"]) == [1, 1]


INSPECTION_HEADER = ["抽样日期", "检测类型", "食品类别", "样品名称", "场所类型", "场所名称", "乡镇", "检测结果", "不合格项目"]


def test_inspections_import_and_skip_identical_rows(store, tiny_tables_data):
    first = tiny_tables_data["inspections"].iloc[0]
    same = [first["sample_date"].isoformat(), first["inspection_type"], first["food_category"], first["product_name"],
            first["venue_type"], first["venue_name"], first["township_code"], first["result"], first["failed_item"] or ""]
    new = ["2018-12-28", "快速检测", "蔬菜", "芹菜", "超市", "万盛新时代广场", "华峰乡", "合格", "--"]
    result = import_ledgers(store, "inspections", [csv_file([same, new], header=INSPECTION_HEADER)])
    assert result.status == "imported", result.report.to_text()
    assert (result.files[0].added, result.files[0].duplicates) == (1, 1)
    row = new_rows(store.current(), "inspections").iloc[0]
    assert (row["inspection_id"], row["inspection_type"], row["township_code"], row["result"]) == \
        (121, "rapid", "140827203", "pass") and pd.isna(row["failed_item"])


COOPERATIVE_HEADER = ["统一社会信用代码", "合作社名称", "乡镇", "村", "行业", "登记日期", "注销日期", "成员数", "贫困户成员数"]


def cooperative_row(c: dict, **changes) -> list:
    row = {"code": c["credit_code"], "name": c["cooperative_name"], "township": c["township_code"],
           "village": c["village_code"], "industry": c["industry"], "registered": c["registered_date"].isoformat(),
           "deregistered": c["deregistered_date"].isoformat() if c["deregistered_date"] else "",
           "members": str(c["members"]), "poor": str(c["poor_household_members"])} | changes
    return list(row.values())


def test_cooperatives_new_identical_updated_and_invalid(store, tiny_tables_data):
    register = tiny_tables_data["cooperatives"].to_dict("records")
    new_code = make_cooperative_code("140827", "MA9999999")
    rows = [
        cooperative_row(register[1]),                                           # identical: duplicate
        cooperative_row(register[2], deregistered="2018年11月30日"),             # deregistered since: update
        [new_code, "垣曲县新星核桃专业合作社", "历山镇", "望仙村", "核桃种植", "2018/12/01", "", "12", "3"],
        [new_code[:-1] + "0" if new_code[-1] != "0" else new_code[:-1] + "1", "坏代码合作社", "历山镇", "", "", "2018-12-01",
         "", "", ""],
        cooperative_row(register[3], registered="2018-12-01", deregistered="2018-01-01"),
        cooperative_row(register[4], members="3", poor="5"),
    ]
    rejected = import_ledgers(store, "cooperatives", [csv_file(rows, header=COOPERATIVE_HEADER)])
    assert rejected.status == "rejected"
    assert {(r, c, reason[:4]) for r, c, _, reason, kind in report_rows(rejected) if kind == "错误"} == {
        (5, "统一社会信用代码", "不是农民"), (6, "注销日期", "注销日期"), (7, "贫困户成员数", "贫困户成")}
    result = import_ledgers(store, "cooperatives", [csv_file(rows, header=COOPERATIVE_HEADER)], only_valid=True)
    assert result.status == "imported"
    f = result.files[0]
    assert (f.added, f.updated, f.duplicates, f.rejected) == (1, 1, 1, 3)
    cooperatives = table(store.current(), "cooperatives").set_index("credit_code")
    assert len(cooperatives) == 41
    assert cooperatives.loc[register[2]["credit_code"], "deregistered_date"] == dt.date(2018, 11, 30)
    assert cooperatives.loc[new_code, "village_code"] == "140827101216"
    assert cooperatives.loc[new_code, "members"] == 12


def test_the_same_cooperative_twice_with_different_details_is_an_error(store):
    code = make_cooperative_code("140827", "MA8888888")
    rows = [[code, "甲合作社", "新城镇", "", "", "2018-01-01", "", "5", "1"],
            [code, "乙合作社", "新城镇", "", "", "2018-01-01", "", "5", "1"]]
    result = import_ledgers(store, "cooperatives", [csv_file(rows, header=COOPERATIVE_HEADER)], only_valid=True)
    assert result.status == "rejected"
    assert {(r, c) for r, c, _, _, _ in report_rows(result)} == {(2, "统一社会信用代码"), (3, "统一社会信用代码")}


TARGET_HEADER = ["年度", "范围", "指标", "目标值"]


def test_targets_replace_the_same_year_scope_and_metric(store):
    rows = [["2018", "垣曲县", "采购金额", "¥350,000"],            # replaces 300000
            ["2018年", "华峰乡", "purchase_amount_yuan", "100000"],   # identical
            ["2019", "140827101", "新增合作社", "12"],
            ["2019", "运城市", "采购金额", "1"]]
    result = import_ledgers(store, "targets", [csv_file(rows, header=TARGET_HEADER)], only_valid=True)
    assert result.status == "imported"
    f = result.files[0]
    assert (f.added, f.updated, f.duplicates, f.rejected) == (1, 1, 1, 1)
    targets = table(store.current(), "targets").set_index(["year", "scope_code", "metric"])["target_value"]
    assert targets[(2018, "140827", "purchase_amount_yuan")] == 350000.0
    assert targets[(2019, "140827101", "new_cooperatives")] == 12.0
    assert len(targets) == 5
    assert store.current().as_of == dt.date(2018, 12, 29)     # targets carry no date


def test_an_injection_in_a_ledger_is_only_a_value(store):
    name = "x'); drop table purchases; --"
    result = import_ledgers(store, "purchases", [csv_file([purchase(supplier=name, product=name)])])
    assert result.status == "imported"
    assert new_rows(store.current(), "purchases")["supplier_name"].tolist() == [name]
    again = import_ledgers(store, "purchases", [csv_file([purchase(supplier=name, product=name)], encoding="gbk")])
    assert again.status == "unchanged" and again.files[0].duplicates == 1


def import_outcome(store, files, **kwargs):
    result = import_ledgers(store, "purchases", files, **kwargs)
    rows = new_rows(store.current(), "purchases") if result.snapshot else None
    return result, rows


def test_checking_in_small_chunks_gives_the_same_import(store, tmp_path, tiny_tables_data, monkeypatch):
    """Rows are checked CHUNK_ROWS at a time: repeats, row numbers and a new buyer typed on a later row all span
    chunk borders the same as when everything fits in one chunk."""
    from fupin.ledger import plan

    files = [csv_file([purchase(buyer="老李饭店"), purchase(date="abc"), purchase(amount="7"),
                       purchase(buyer="老李饭店", buyer_type="餐饮", date="2018-12-19"), purchase()], name="a.csv"),
             csv_file([purchase(amount="7"), purchase(village="望仙村"), purchase(date="2018-12-18")], name="b.csv")]
    whole, whole_rows = import_outcome(store, files, only_valid=True)
    other = SnapshotStore(tmp_path / "other")
    write_snapshot(other, tiny_tables_data)
    monkeypatch.setattr(plan, "CHUNK_ROWS", 2)
    chunked, chunked_rows = import_outcome(other, files, only_valid=True)
    assert chunked.report.frame().equals(whole.report.frame())
    assert [vars(f) for f in chunked.files] == [vars(f) for f in whole.files]
    assert chunked_rows.drop(columns="purchase_id").equals(whole_rows.drop(columns="purchase_id"))
    assert (whole.files[0].added, whole.files[0].duplicates, whole.files[0].rejected) == (4, 0, 1)
    assert (whole.files[1].added, whole.files[1].duplicates, whole.files[1].rejected) == (1, 1, 1)
    assert set(chunked_rows["buyer_id"]) == {"B1", "B000005"}


def test_a_report_of_very_many_problems_lists_the_first_and_counts_all(store, monkeypatch):
    from fupin.ledger import report

    monkeypatch.setattr(report, "LIMIT", 3)
    result = import_ledgers(store, "purchases", [csv_file([purchase(date="abc", amount="x")] * 4)])
    assert result.status == "rejected" and result.report.count(ERROR) == 8 and len(result.report.entries) == 3
    assert "发现 8 处错误" in result.message
    frame = result.report.frame()
    assert len(frame) == 4 and frame.iloc[-1]["原因"] == "另有 5 条未列出（报告最多列出 3 条）"
    assert "另有 5 条未列出" in result.report.to_csv().decode("utf-8-sig")


class SessionStopped(Exception):
    """What a page's next Streamlit call raises once its session has ended (the tab closed)."""


def test_a_page_whose_session_ends_right_after_current_moved_leaves_the_audit_line(store):
    from fupin.auth import audit

    before = store.current_id()

    def progress(fraction, message):   # the page's progress bar: dead from the moment CURRENT has moved
        if store.current_id() != before:
            raise SessionStopped

    with pytest.raises(SessionStopped):
        import_ledgers(store, "purchases", [csv_file([purchase()])], by="li", progress=progress)
    after = store.current_id()
    entry = audit.entries(store.root)[-1]
    assert after != before
    assert (entry["action"], entry["who"], entry["before"], entry["after"]) == ("import", "li", before, after)
