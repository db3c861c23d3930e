"""Reading ledger files: encodings, xlsx sheets, broken and empty files, and finding the header row."""

import csv
import datetime as dt
import io

import openpyxl
import pytest

from fupin.ledger.columns import (
    MISSING_COLUMN,
    REPEATED_COLUMN,
    UNKNOWN_COLUMN,
    find_header,
    ledger_frame,
)
from fupin.ledger.files import LedgerFile, LedgerFileError, read_grid, sheet_names
from fupin.ledger.plan import HEADERS_ONLY, read_ledger

ROWS = [["采购日期", "采购单位", "金额(元)"], ["2018年12月29日", "万盛新时代广场", "1,234.5"]]


def csv_bytes(rows, encoding="utf-8", delimiter=","):
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter).writerows(rows)
    return text.getvalue().encode(encoding)


def xlsx_bytes(sheets: dict) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_csv_in_every_encoding_excel_writes(encoding):
    assert read_grid(LedgerFile("台账.csv", csv_bytes(ROWS, encoding))) == ROWS


def test_gbk_is_really_not_utf8():
    content = csv_bytes(ROWS, "gbk")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    assert read_grid(LedgerFile("a.CSV", content))[1][1] == "万盛新时代广场"


def test_tab_separated_and_quoted_cells():
    assert read_grid(LedgerFile("a.csv", csv_bytes(ROWS, delimiter="\t"))) == ROWS
    quoted = '采购日期,金额(元)\n2018-12-29,"1,234.5"\n'.encode()
    assert read_grid(LedgerFile("a.csv", quoted))[1] == ["2018-12-29", "1,234.5"]


def test_xlsx_first_sheet_or_a_named_one_with_cells_as_people_see_them():
    content = xlsx_bytes({"说明": [["这是说明"]],
                          "2018年": [["采购日期", "数量(公斤)", "乡镇"],
                                     [dt.datetime(2018, 12, 29), 1000.0, 140827203], [43463, 12.5, "新城镇"]]})
    file = LedgerFile("台账.xlsx", content)
    assert sheet_names(file) == ["说明", "2018年"]
    assert read_grid(file) == [["这是说明"]]
    assert read_grid(file, "2018年") == [["采购日期", "数量(公斤)", "乡镇"], ["2018-12-29", "1000", "140827203"],
                                        ["43463", "12.5", "新城镇"]]
    with pytest.raises(LedgerFileError, match="没有名为“2019年”的工作表"):
        read_grid(file, "2019年")


@pytest.mark.parametrize("name, content, reason", [
    ("a.csv", bytes(range(256)) * 4, "不是 CSV 文本"),
    ("a.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "不是 CSV 文本"),
    ("a.csv", xlsx_bytes({"a": [["x"]]}), "不是 CSV 文本"),
    ("a.csv", b"\xff\xfe\xfd\x81\x30", "无法识别文件编码"),
    ("a.xlsx", b"just text", "不是有效的 .xlsx"),
    ("a.xlsx", b"PK\x03\x04 broken zip", "已损坏"),
    ("a.xls", b"\xd0\xcf\x11\xe0", "只接受 .xlsx 或 .csv"),
    ("ledger", b"a,b", "只接受 .xlsx 或 .csv"),
    ("a.csv", b"", "文件是空的"),
    ("a.csv", b" \r\n\r\n", "文件是空的"),
    ("a.csv", b",,\r\n,,\r\n", "文件是空的"),
    ("a.xlsx", xlsx_bytes({"a": []}), "文件是空的"),
])
def test_files_that_cannot_be_ledgers_say_why(name, content, reason):
    with pytest.raises(LedgerFileError, match=reason):
        read_grid(LedgerFile(name, content))


def test_size_limit_from_settings(monkeypatch):
    monkeypatch.setenv("FUPIN_MAX_UPLOAD_MB", "1")
    with pytest.raises(LedgerFileError, match="超过 1 MB"):
        read_grid(LedgerFile("a.csv", b"a," * (1024 * 1024)))


def test_a_file_name_is_only_a_name():
    file = LedgerFile("../../etc/passwd.csv", csv_bytes(ROWS))
    assert file.suffix == ".csv" and read_grid(file) == ROWS


def test_header_below_title_rows_and_english_names():
    grid = [["垣曲县消费扶贫采购台账", None], [None, None],
            ["序号", "purchase_date", "Buyer_Name", "金额（元）", "数量 (公斤)", "备注"],
            ["1", "2018-12-29", "万盛", "100", "10", "x"], [None, None, None], ["2", "2018-12-30", "万盛", "5", "1"]]
    header = find_header(grid, "purchases")
    assert header.row == 2
    assert header.positions == {"purchase_date": 1, "buyer_name": 2, "amount_yuan": 3, "weight_kg": 4}
    assert {p.header for p in header.problems if p.reason == MISSING_COLUMN} == \
        {"供货方", "供货方类型", "乡镇", "村", "产品类别"}
    frame = ledger_frame(grid, header, "purchases")
    assert list(frame.index) == [4, 6]       # the rows a person sees in Excel; the blank row is left out
    assert frame.loc[6, "amount_yuan"] == "5" and frame.loc[6, "channel"] is None


def test_unknown_and_repeated_columns():
    header = find_header([["采购日期", "日期", "金额(万元)", "采购单位"]], "purchases")
    problems = {(p.header, p.reason) for p in header.problems}
    assert ("日期", REPEATED_COLUMN) in problems
    assert ("金额(万元)", UNKNOWN_COLUMN) in problems      # a different unit is refused, not read as 元
    assert ("金额(元)", MISSING_COLUMN) in problems


def test_headers_only_is_a_problem_of_the_file():
    header_row = ["采购日期", "采购单位", "供货方", "供货方类型", "乡镇", "村", "产品类别", "数量(公斤)", "金额(元)"]
    ledger = read_ledger(LedgerFile("a.csv", csv_bytes([header_row])), "purchases")
    assert ledger.problems == [(None, HEADERS_ONLY)]
