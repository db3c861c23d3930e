"""Empty ledger templates per table, CSV with a BOM and .xlsx with a 填写说明 sheet, built from the column definitions."""

import io
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.styles import Font

from ..settings import PROJECT_ROOT
from .columns import IGNORED_HEADERS, IMPORTABLE_TABLES, LEDGERS, TABLE_LABELS

TEMPLATES_DIR = PROJECT_ROOT / "data" / "templates"
NOTES_SHEET = "填写说明"


def column_guide(table: str) -> pd.DataFrame:
    """Every column of a table's ledger: Chinese and English header, whether required, how to fill it."""
    return pd.DataFrame([{"列名": c.header, "英文列名": c.name, "必填": "是" if c.required else "否", "填写说明": c.note}
                         for c in LEDGERS[table]])


def template_csv(table: str) -> bytes:
    """The header row of a table's ledger as CSV in UTF-8 with a BOM (Excel then shows the Chinese)."""
    return (",".join(c.header for c in LEDGERS[table]) + "\r\n").encode("utf-8-sig")


def template_xlsx(table: str) -> bytes:
    """A workbook whose first sheet holds the header row and whose second explains every column."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = TABLE_LABELS[table]
    sheet.append([c.header for c in LEDGERS[table]])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = max(12, 2.2 * len(cell.value))
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet(NOTES_SHEET)
    guide = column_guide(table)
    notes.append(list(guide.columns))
    for row in guide.itertuples(index=False):
        notes.append(list(row))
    notes.append([])
    notes.append([f"表头也可用英文列名；{'、'.join(IGNORED_HEADERS)}列会被忽略；表头上方可以有标题行。"])
    for letter, width in zip("ABCD", (16, 24, 6, 70)):
        notes.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_name(table: str, suffix: str) -> str:
    """The file name a downloaded template gets, such as 采购台账模板.xlsx."""
    return f"{TABLE_LABELS[table]}模板{suffix}"


def write_templates(folder: Path = TEMPLATES_DIR) -> list[Path]:
    """Write `<table>.csv` and `<table>.xlsx` for every importable table; returns the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in IMPORTABLE_TABLES:
        for suffix, content in ((".csv", template_csv(table)), (".xlsx", template_xlsx(table))):
            path = folder / f"{table}{suffix}"
            path.write_bytes(content)
            written.append(path)
    return written
