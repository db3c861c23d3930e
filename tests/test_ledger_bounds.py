"""Bounded reading of an .xlsx: sheet names from the workbook part, and bombs and over-long sheets refused from the
zip's directory and the sheets' first bytes, before openpyxl reads anything (issue 27)."""

import io
import re
import resource
import subprocess
import time
import zipfile
from collections.abc import Iterator

import openpyxl
import pytest
import xlsxwriter
from conftest import run_cli, write_snapshot
from ledger_samples import (
    PURCHASE_HEADER,
    SHEET_START,
    purchase,
    sheet_xml,
    xlsx_file,
    xlsx_with_sheet,
)

from fupin.ledger import xlsx_parts
from fupin.ledger.files import LedgerFile, LedgerFileError, check_file, sheet_names
from fupin.ledger.plan import read_ledger
from fupin.settings import PROJECT_ROOT
from fupin.store.store import SnapshotStore

TEMPLATES = sorted((PROJECT_ROOT / "data" / "templates").glob("*.xlsx"))
TOO_MANY_ROWS = "超过 Excel 的上限 1,048,576 行"


def excel_like(rows: list[list], sheets=("说明", "2018年", "隐藏")) -> bytes:
    """A workbook as Excel writes one (shared strings, a dimension), several sheets, one hidden, and a chart sheet."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer)
    for name in sheets:
        worksheet = workbook.add_worksheet(name)
        for number, row in enumerate(rows if name == "2018年" else [["x"]]):
            worksheet.write_row(number, 0, row)
    workbook.get_worksheet_by_name(sheets[-1]).hide()
    chart = workbook.add_chart({"type": "column"})
    chart.add_series({"values": "='2018年'!$J$2:$J$5"})
    workbook.add_chartsheet("图表").set_chart(chart)
    workbook.close()
    return buffer.getvalue()


@pytest.fixture
def no_openpyxl(monkeypatch):
    """Make sure nothing below is read by openpyxl: loading a workbook fails the test."""
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *_, **__: pytest.fail("openpyxl read the workbook"))


@pytest.mark.parametrize("content", [p.read_bytes() for p in TEMPLATES] + [excel_like([PURCHASE_HEADER, purchase()])],
                         ids=[p.name for p in TEMPLATES] + ["excel_like"])
def test_sheet_names_are_openpyxl_s_without_reading_a_sheet(content, monkeypatch):
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    expected = workbook.sheetnames
    workbook.close()
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *_, **__: pytest.fail("openpyxl read the workbook"))
    assert sheet_names(LedgerFile("台账.xlsx", content)) == expected


@pytest.mark.parametrize("writer", ["xlsxwriter", "openpyxl"])
def test_real_ledgers_of_many_same_rows_are_read(writer):
    """The most compressible ledger a person makes (one row copied down 10,000 times) stays far below the ratio."""
    rows = [purchase()] * 10_000
    content = excel_like([PURCHASE_HEADER, *rows]) if writer == "xlsxwriter" else xlsx_file(rows).content
    sheet = zipfile.ZipFile(io.BytesIO(content)).getinfo("xl/worksheets/sheet1.xml" if writer == "openpyxl"
                                                       else "xl/worksheets/sheet2.xml")
    assert sheet.file_size > xlsx_parts.RATIO_FLOOR_BYTES and sheet.file_size / sheet.compress_size < 40
    ledger = read_ledger(LedgerFile("采购台账.xlsx", content), "purchases", None if writer == "openpyxl" else "2018年")
    assert ledger.problems == [] and ledger.rows == 10_000


def same_rows(rows: int) -> bytes:
    return xlsx_with_sheet(sheet_xml(rows, lambda n: "<row><c><v>1</v></c></row>"))


@pytest.mark.parametrize("build, limit_mb, reason", [
    (lambda: same_rows(200_000), "50",
     r"工作表“Sheet1”解压后是压缩时的 [0-9,]+ 倍（正常文件不超过 100 倍），疑似压缩炸弹，未读取"),
    (lambda: same_rows(1_000_000), "1", r"xlsx 文件解压后有 2\d MB，超过上限 20 MB，未读取"),
    (lambda: xlsx_with_sheet(sheet_xml(3, lambda n: f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>', "A1:K1200000")),
     "50", "工作表“Sheet1”" + TOO_MANY_ROWS + "，未读取"),
    (lambda: xlsx_file([]).content.replace(b"[Content_Types].xml", b"[Content_Typos].xml"), "50",
     "xlsx 文件已损坏，无法打开"),
], ids=["ratio", "unpacked_size", "dimension", "no_content_types"])
def test_bombs_and_long_sheets_are_refused_before_openpyxl_reads_them(build, limit_mb, reason, monkeypatch,
                                                                      no_openpyxl):
    monkeypatch.setenv("FUPIN_MAX_UPLOAD_MB", limit_mb)
    file = LedgerFile("采购台账.xlsx", build())
    for read in (sheet_names, check_file):
        with pytest.raises(LedgerFileError, match=reason):
            read(file)
    assert [re.fullmatch(reason, problem) is not None for _, problem in read_ledger(file, "purchases").problems] \
        == [True]


def rows_xml(tag: str, rows: int) -> Iterator[bytes]:
    """A sheet without a <dimension>: a first row with a cell, then empty rows written with a line break in the tag,
    and page breaks (<rowBreaks>, not rows) after them."""
    yield SHEET_START + f'<sheetData><{tag} r="1"><c><v>1</v></c></{tag}>'.encode()
    yield "".join(f'<{tag}\n r="{n}"/>' for n in range(2, rows + 1)).encode()
    yield b'</sheetData><rowBreaks count="1"><brk id="3"/></rowBreaks></worksheet>'


@pytest.mark.parametrize("tag", ["row", "x:row"])
def test_rows_are_counted_across_block_boundaries_when_there_is_no_dimension(tag, monkeypatch, no_openpyxl):
    monkeypatch.setattr(xlsx_parts, "EXCEL_MAX_ROWS", 1000)
    monkeypatch.setattr(xlsx_parts, "HEAD_BYTES", 5)
    monkeypatch.setattr(xlsx_parts, "READ_BLOCK", 7)   # every tag is cut somewhere by a block boundary
    assert xlsx_parts.sheet_names(xlsx_with_sheet(rows_xml(tag, 1000)), 10**9) == ["Sheet1"]
    with pytest.raises(xlsx_parts.WorkbookRefused, match="超过 Excel 的上限 1,000 行"):
        xlsx_parts.sheet_names(xlsx_with_sheet(rows_xml(tag, 1001)), 10**9)


def test_a_gap_in_the_row_numbers_that_passes_excel_s_last_row_stops_the_reading():
    """Two rows, the second numbered 1,048,578: openpyxl pads the gap with empty rows, the reading stops past the
    last row Excel has."""
    def cells(texts: list[str]) -> str:
        return "".join(f'<c t="inlineStr"><is><t>{text}</t></is></c>' for text in texts)

    content = xlsx_with_sheet(sheet_xml(2, lambda n: f'<row r="1">{cells(PURCHASE_HEADER)}</row>' if n == 1 else
                                        f'<row r="1048578">{cells(purchase())}</row>'))
    assert sheet_names(LedgerFile("a.xlsx", content)) == ["Sheet1"]
    problems = read_ledger(LedgerFile("a.xlsx", content), "purchases").problems
    assert [reason for _, reason in problems] == ["工作表“Sheet1”" + TOO_MANY_ROWS + "，未读完"]


def test_the_row_counted_sheet_of_1_2m_rows_is_refused_in_well_under_2_s(xlsx_1_2m_rows, no_openpyxl):
    file = LedgerFile(xlsx_1_2m_rows.name, xlsx_1_2m_rows.read_bytes())
    started = time.thread_time()   # CPU time: what the refusal costs the server, whatever else the machine does
    with pytest.raises(LedgerFileError, match=TOO_MANY_ROWS):
        check_file(file)
    assert time.thread_time() - started < 2


@pytest.fixture
def store(tmp_path, tiny_tables_data) -> SnapshotStore:
    store = SnapshotStore(tmp_path / "data")
    write_snapshot(store, tiny_tables_data)
    return store


def dry_run(store: SnapshotStore, path) -> tuple[subprocess.CompletedProcess, float]:
    """The command's result and the CPU seconds it cost (its start-up included), whatever else the machine does."""
    started = cpu_of_children()
    result = run_cli("import", "purchases", str(path), "--dry-run", data=store.root, timeout=120)
    return result, cpu_of_children() - started


def cpu_of_children() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


@pytest.mark.slow   # the bomb takes ~10 s to build, once per session
def test_the_issue_s_bomb_is_refused_by_a_dry_run_at_once_in_one_line(store, xlsx_bomb):
    sheet = zipfile.ZipFile(xlsx_bomb).getinfo("xl/worksheets/sheet1.xml")
    assert xlsx_bomb.stat().st_size < 10 * 2**20 and sheet.file_size > 1.1e9   # 8 MB that unpack to 1.1 GB
    result, seconds = dry_run(store, xlsx_bomb)
    assert result.returncode == 1 and result.stdout == ""
    assert re.fullmatch(f"错误: {xlsx_bomb.name}：xlsx 文件解压后有 1,0\\d\\d MB，超过上限 1,000 MB，未读取\n",
                        result.stderr)
    assert seconds < 10   # the process itself starts in ~1 s of CPU; before the bound it ran for 20 minutes


def test_a_1_2m_row_sheet_is_refused_by_a_dry_run_in_one_line(store, xlsx_1_2m_rows):
    result, seconds = dry_run(store, xlsx_1_2m_rows)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [f"错误: {xlsx_1_2m_rows.name}：工作表“Sheet1”{TOO_MANY_ROWS}，未读取"]
    assert seconds < 10 and len(store.list()) == 1
