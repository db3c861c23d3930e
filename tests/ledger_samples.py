"""Small ledgers built in code for the import tests, on the places and buyers of the tiny snapshot (conftest)."""

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import openpyxl
import pandas as pd

from fupin.ledger.files import LedgerFile
from fupin.store.snapshot import read_table

PURCHASE_HEADER = ["采购日期", "采购单位", "采购单位类型", "供货方", "供货方类型", "乡镇", "村", "产品类别", "产品名称",
                   "数量(公斤)", "金额(元)"]


def purchase(date="2018-12-20", buyer="万盛新时代广场", buyer_type="", supplier="张三", supplier_type="贫困户",
             township="新城镇", village="下王村", category="蔬菜", product="辣椒", weight="1,000", amount="￥1600"):
    """One purchase ledger row, valid unless told otherwise (下王村 is a poor village of 新城镇)."""
    return [date, buyer, buyer_type, supplier, supplier_type, township, village, category, product, weight, amount]


def csv_file(rows, header=PURCHASE_HEADER, name="采购台账.csv", encoding="utf-8-sig") -> LedgerFile:
    """A CSV ledger as Excel would save it."""
    text = io.StringIO()
    csv.writer(text).writerows([header, *rows])
    return LedgerFile(name, text.getvalue().encode(encoding))


def xlsx_file(rows, header=PURCHASE_HEADER, name="采购台账.xlsx", sheet="Sheet1", title=None) -> LedgerFile:
    """An .xlsx ledger, optionally with a title row above the header."""
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    if title:
        worksheet.append([title])
    for row in [header, *rows]:
        worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return LedgerFile(name, buffer.getvalue())


SHEET_PART = "xl/worksheets/sheet1.xml"
SHEET_START = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
# The bomb: 1,710,731 rows of some 640 bytes, 1.1 GB of sheet XML that zips to a few MB.
BOMB_ROWS = 1_710_731
BOMB_CELLS = '<c t="inlineStr"><is><t>' + "垣曲县新城镇下王村消费帮扶采购" * 13 + "</t></is></c>"


def sheet_xml(rows: int, row: Callable[[int], str], dimension: str | None = None,
              block: int = 20_000) -> Iterator[bytes]:
    """A sheet's XML block by block: a <dimension> if given, then rows 1 to `rows` as `row(number)` writes them."""
    yield SHEET_START + (f'<dimension ref="{dimension}"/>'.encode() if dimension else b"") + b"<sheetData>"
    for start in range(1, rows + 1, block):
        yield "".join(row(n) for n in range(start, min(start + block, rows + 1))).encode()
    yield b"</sheetData></worksheet>"


def xlsx_with_sheet(blocks: Iterable[bytes], path: Path | None = None) -> bytes | Path:
    """An .xlsx whose one sheet (Sheet1) is the XML `blocks`, zipped as they come, so a sheet of a gigabyte never
    sits in memory; its other parts are an openpyxl workbook's. Written to `path` if given, else returned."""
    base = zipfile.ZipFile(io.BytesIO(xlsx_file([]).content))
    target = path or io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in base.infolist():
            if info.filename == SHEET_PART:
                with out.open(SHEET_PART, "w") as sheet:
                    for block in blocks:
                        sheet.write(block)
            else:
                out.writestr(info, base.read(info))
    return path or target.getvalue()


def table(snapshot, name) -> pd.DataFrame:
    """A whole (small) table of a snapshot, in its schema's columns."""
    return read_table(snapshot, name).to_pandas()
