"""CSV files for Excel: BOM, neutralised formulas, numbers kept, readable labels, and file names."""

import datetime as dt
import io

import pandas as pd
import pytest

from fupin.text.export import BOM, csv_bytes, csv_file, file_name, readable

YUANQU = ("140827",)


def read_back(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(data.decode("utf-8-sig")), dtype=str, keep_default_na=False)


def test_csv_starts_with_a_bom_and_keeps_chinese():
    data = csv_bytes(pd.DataFrame({"乡镇": ["华峰乡"], "金额(元)": [12.5]}))
    assert data.startswith(BOM.encode("utf-8"))
    assert data.decode("utf-8-sig").splitlines()[0] == "乡镇,金额(元)"


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"])
def test_formula_starts_are_neutralised(cell):
    back = read_back(csv_bytes(pd.DataFrame({"供货方": [cell]})))
    assert back["供货方"].iloc[0] == "'" + cell


def test_numbers_stay_numbers():
    frame = pd.DataFrame({"金额(元)": [-12.5, 3.0], "批次": [-1, 2], "名称": ["a", "-b"]})
    back = read_back(csv_bytes(frame))
    assert list(back["金额(元)"]) == ["-12.50", "3.00"] and list(back["批次"]) == ["-1", "2"]
    assert list(back["名称"]) == ["a", "'-b"]


def excel_frame() -> pd.DataFrame:
    """Rows as the queries return them: float noise, counts made float by a merge, codes, months, gaps."""
    return pd.DataFrame({
        "village_code": ["140827203216", None],
        "supplier_credit_code": ["93140827MA0XXXXXX1", "=cmd|' /C calc'!A0"],
        "purchase_id": [418, 419],
        "month": pd.to_datetime(["2018-01-01", "2018-02-01"]),
        "amount_yuan": [2633775.370000006, 12.5],
        "batches": [418.0, float("nan")],
        "weight_kg": [1146.2000000001, 2.0],
        "deregistered_date": [dt.date(2019, 1, 2), None],
        "cooperative_name": ["合作社", None],
    })


EXCEL_ROWS = [
    {"村代码": '="140827203216"', "供货方统一社会信用代码": '="93140827MA0XXXXXX1"', "采购编号": '="418"',
     "月份": "2018-01", "金额(元)": "2633775.37", "批次": "418", "数量(公斤)": "1146.2", "注销日期": "2019-01-02",
     "合作社名称": "合作社"},
    {"村代码": "", "供货方统一社会信用代码": "'=cmd|' /C calc'!A0", "采购编号": '="419"',
     "月份": "2018-02", "金额(元)": "12.50", "批次": "", "数量(公斤)": "2", "注销日期": "", "合作社名称": ""},
]


def test_csv_cells_are_what_excel_should_show():
    assert read_back(csv_bytes(excel_frame())).to_dict("records") == EXCEL_ROWS


def test_csv_of_an_already_readable_frame_is_the_same():
    assert csv_bytes(readable(excel_frame())) == csv_bytes(excel_frame())


def test_streamed_csv_cells_are_the_same():
    frame = excel_frame()
    with csv_file([frame.iloc[:1], frame.iloc[1:]]) as out:
        assert read_back(out.read()).to_dict("records") == EXCEL_ROWS


def test_codes_are_written_for_excel_as_text_formulas():
    line = csv_bytes(pd.DataFrame({"township_code": ["140827203"]})).decode("utf-8-sig").splitlines()[1]
    assert line == '"=""140827203"""'


def test_header_cells_are_neutralised_too():
    assert read_back(csv_bytes(pd.DataFrame({"=x": [1]}))).columns[0] == "'=x"


def test_readable_labels_codes_flags_and_missing_values():
    frame = pd.DataFrame({"buyer_type": ["supermarket", "catering"], "from_poor_village": [True, False],
                          "supplier_credit_code": [None, "93140827MA0XXXXXX1"], "weight_kg": [1.5, 2.0]})
    shown = readable(frame)
    assert list(shown.columns) == ["采购单位类型", "是否贫困村", "供货方统一社会信用代码", "数量(公斤)"]
    assert list(shown["采购单位类型"]) == ["商超", "餐饮"] and list(shown["是否贫困村"]) == ["是", "否"]
    assert shown["供货方统一社会信用代码"].iloc[0] == ""
    assert list(readable(frame, "en").columns)[0] == "Buyer type"


@pytest.mark.parametrize("what, scope, expected", [
    ("采购", ["华峰乡"], "采购_华峰乡_2018-01-01_2018-12-29.csv"),
    ("采购明细", ["华峰乡", "西型马村委会"], "采购明细_华峰乡_西型马村委会_2018-01-01_2018-12-29.csv"),
    ("a/b:c", ["x y"], "a-b-c_x-y_2018-01-01_2018-12-29.csv"),
])
def test_file_names_say_what_and_when(what, scope, expected):
    assert file_name(what, scope, dt.date(2018, 1, 1), dt.date(2018, 12, 29)) == expected


def test_streamed_export_equals_the_rows_of_the_filter(tiny_db):
    from fupin.query.filters import Filter
    from fupin.report import page_data
    flt = Filter.year_to_date(dt.date(2018, 12, 29), counties=YUANQU)
    expected = page_data.purchase_records(tiny_db, flt, rows=None)
    with csv_file(tiny_db.batches("purchase_records", flt, rows=7, limit=None, offset=0)) as out:
        data = out.read()
    assert data.startswith(BOM.encode("utf-8"))
    back = read_back(data)
    assert list(back.columns) == list(readable(expected).columns)
    assert list(back["采购编号"]) == [f'="{i}"' for i in expected["purchase_id"]]


def test_the_export_read_a_week_at_a_time_equals_the_rows_of_the_filter_newest_first(tiny_db):
    from fupin.query.filters import Filter
    from fupin.report import page_data
    flt = Filter(dt.date(2017, 11, 15), dt.date(2018, 12, 29), counties=YUANQU)
    expected = page_data.purchase_records(tiny_db, flt, rows=None)
    chunks = list(page_data.purchase_record_batches(tiny_db, flt))
    assert len(chunks) > 2 and chunks[0].empty and list(chunks[0].columns) == list(expected.columns)
    streamed = pd.concat(chunks, ignore_index=True)
    assert len(expected) > 100 and list(streamed["purchase_id"]) == list(expected["purchase_id"])
    assert page_data.week_windows(dt.date(2020, 2, 20), dt.date(2020, 3, 7)) == [
        (dt.date(2020, 2, 20), dt.date(2020, 2, 22)), (dt.date(2020, 2, 23), dt.date(2020, 2, 29)),
        (dt.date(2020, 3, 1), dt.date(2020, 3, 7))]
    assert page_data.week_windows(dt.date(2020, 3, 7), dt.date(2020, 3, 7)) == [(dt.date(2020, 3, 7),) * 2]


def test_streamed_export_of_nothing_still_has_the_header(tiny_db):
    from fupin.query.filters import Filter
    flt = Filter(dt.date(2001, 1, 1), dt.date(2001, 1, 2), counties=YUANQU)
    with csv_file(tiny_db.batches("purchase_records", flt, limit=None, offset=0)) as out:
        lines = out.read().decode("utf-8-sig").splitlines()
    assert len(lines) == 1 and lines[0].startswith("采购编号,采购日期")
