"""Excel downloads: the CSV's headers on a frozen row, typed cells (openpyxl reads them back), the filters sheet,
streaming across sheets, and the benchmark's memory in a fresh process."""

import datetime as dt
import io

import numpy as np
import openpyxl
import pandas as pd
import pytest

from fupin.query.filters import Filter
from fupin.report import export_xlsx
from fupin.text.i18n import column
from fupin.tools.bench import xlsx_memory

NOTE = {"范围": "垣曲县 › 华峰乡", "日期": "2018-01-01 — 2018-12-29", "数据版本": "数据截至 2020-12-31"}


def chunk(start: int, rows: int) -> pd.DataFrame:
    i = np.arange(start, start + rows)
    return pd.DataFrame({
        "village_code": [f"1408272032{n % 100:02d}" for n in i],
        "purchase_date": pd.to_datetime("2018-12-29") - pd.to_timedelta(i, "D"),
        "month": [dt.date(2018, 1 + n % 12, 1) for n in i],
        "buyer_type": ["supermarket", "catering"] * (rows // 2) + ["supermarket"] * (rows % 2),
        "supplier_name": ["=HYPERLINK(\"http://x\")" if n == 0 else f"供货方{n}" for n in i],
        "from_poor_village": i % 2 == 0,
        "records": i + 1,
        "weight_kg": i * 1.25,
        "amount_yuan": [2633775.37 if n == 0 else np.nan if n == 1 else n * 10.01 for n in i],
        "pct_done": i * 0.5,
        "product_name": [None if n == 1 else "核桃" for n in i],
    })


def workbook(frames, lang: str = "zh") -> openpyxl.Workbook:
    with export_xlsx.xlsx_file(frames, lang, NOTE) as out:
        return openpyxl.load_workbook(io.BytesIO(out.read()))


@pytest.fixture(scope="module")
def book():
    empty = chunk(0, 0)
    return workbook([empty, chunk(0, 3), chunk(3, 4)])


def test_header_is_the_csvs_frozen_with_filter_buttons(book):
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == [column(name, "zh") for name in chunk(0, 1).columns]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:K8"
    assert sheet.max_row == 8, "the empty first chunk only names the columns; 3 + 4 rows follow"
    widths = {col: sheet.column_dimensions[col].width for col in "ABE"}
    assert widths["A"] >= 14 and widths["B"] >= 11 and widths["E"] > widths["B"], widths


def test_cells_keep_their_types(book):
    sheet = book.worksheets[0]
    first = {c.column_letter: c for c in sheet[2]}
    assert first["A"].value == "140827203200" and first["A"].data_type == "s", "a 12-digit code stays text"
    assert first["B"].value == dt.datetime(2018, 12, 29) and first["B"].number_format == "yyyy-mm-dd"
    assert first["C"].value == dt.datetime(2018, 1, 1) and first["C"].number_format == "yyyy-mm"
    assert first["D"].value == "商超" and first["F"].value == "是"
    assert first["E"].value == '=HYPERLINK("http://x")' and first["E"].data_type == "s", "text, never a formula"
    assert first["G"].value == 1 and isinstance(first["G"].value, int) and first["G"].number_format == "#,##0"
    assert first["I"].value == 2633775.37 and first["I"].number_format == "#,##0.00"
    assert first["J"].number_format == "0.0" and first["H"].number_format == "#,##0.00"
    second = {c.column_letter: c.value for c in sheet[3]}
    assert second["I"] is None and second["K"] is None, "missing values are empty cells"
    assert sheet["I8"].value == pytest.approx(60.06) and sheet["B8"].value == dt.datetime(2018, 12, 23)


def test_second_sheet_states_the_filters_the_data_and_the_rows(book):
    assert book.sheetnames == ["数据", "筛选条件"]
    rows = {row[0].value: row[1].value for row in book["筛选条件"].iter_rows()}
    assert rows["范围"] == "垣曲县 › 华峰乡" and rows["数据版本"] == "数据截至 2020-12-31"
    assert rows["行数"] == "7" and "元" in rows["单位"]


def test_english_headers_and_labels():
    book = workbook([chunk(0, 2)], "en")
    sheet = book.worksheets[0]
    assert sheet["A1"].value == "Village code" and sheet["D2"].value == "Supermarket"
    assert book.sheetnames == ["Data", "Filters"]


def test_rows_past_a_sheet_go_on_to_the_next_with_the_header(monkeypatch):
    monkeypatch.setattr(export_xlsx, "SHEET_ROWS", 3)
    book = workbook([chunk(0, 4), chunk(4, 3)])
    assert book.sheetnames == ["数据", "数据(2)", "数据(3)", "筛选条件"]
    assert [s.max_row for s in book.worksheets[:3]] == [4, 4, 2]
    assert book["数据(3)"]["A1"].value == "村代码" and book["数据(3)"]["A2"].value == "140827203206"


def test_filters_note_names_the_place_dates_choices_and_data():
    class Snapshot:
        as_of = dt.date(2020, 12, 31)
        manifest = {"created_at": "2026-12-01T21:26:48+00:00"}

    flt = Filter.year_to_date(dt.date(2018, 12, 29), counties=("140827",), township="140827203",
                              buyer_type="catering")
    note = export_xlsx.filters_note(flt, ["垣曲县", "华峰乡"], Snapshot(), 只看不合格="是")
    assert note == {"范围": "垣曲县 › 华峰乡", "日期": "2018-01-01 — 2018-12-29", "采购单位类型": "餐饮",
                    "只看不合格": "是", "数据版本": "数据截至 2020-12-31，更新于 2026-12-02 05:26 北京时间"}
    assert export_xlsx.xlsx_name("采购明细", ["垣曲县"], flt.date_from, flt.date_to) == (
        "采购明细_垣曲县_2018-01-01_2018-12-29.xlsx")


@pytest.mark.slow
def test_benchmark_measures_an_export_in_a_fresh_process():
    result = xlsx_memory.run(120_000)
    assert result["rows"] == 120_000 and result["bytes"] > 1_000_000
    assert result["peak_rss_mb_before"] < result["peak_rss_mb"] < 300, result
