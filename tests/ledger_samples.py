"""Small ledgers built in code for the import tests, on the places and buyers of the tiny snapshot (conftest)."""

import csv
import io

import openpyxl
import pandas as pd

from fupin.ledger.files import LedgerFile
from fupin.snapshots import read_table

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


def table(snapshot, name) -> pd.DataFrame:
    """A whole (small) table of a snapshot, in its schema's columns."""
    return read_table(snapshot, name).to_pandas()
