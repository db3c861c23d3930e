"""Tables as Excel workbooks, streamed: the CSV's headers on a frozen first row, typed cells (money in yuan to the
fen, counts as whole numbers, dates as dates, codes as text), and a second sheet stating the filters and the data.

XlsxWriter's constant-memory mode writes each row out as the next begins, so an export of a million rows holds one
chunk of rows at a time. Money stays in yuan as in the ledgers (金额(元), `#,##0.00`): Excel's number formats can
only scale by thousands, and the `0!.0,"万"` display trick shows a 256-yuan record as 0.0万.
"""

import datetime as dt
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np
import pandas as pd
import xlsxwriter

from ..query.filters import Filter
from ..store.schema import BUYER_TYPES, CHANNELS, label
from ..text import fmt
from ..text.export import CODE_HEADERS, MONEY_HEADERS, MONTH_HEADERS, file_name
from ..text.i18n import CODED, code_label, column, t, yes_no

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Rows under the header that one sheet holds; more continue on the next data sheet.
SHEET_ROWS = 1_048_575
MAX_WIDTH = 48
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
FORMATS = {"text": {"num_format": "@"}, "date": {"num_format": "yyyy-mm-dd"}, "month": {"num_format": "yyyy-mm"},
           "money": {"num_format": "#,##0.00"}, "count": {"num_format": "#,##0"}, "decimal": {"num_format": "#,##0.00"},
           "pct": {"num_format": "0.0"}, "header": {"bold": True, "bg_color": "#e8eef5", "border": 1,
                                                     "text_wrap": True, "valign": "vcenter"}}


@dataclass(frozen=True)
class Column:
    """How one column is written: its header, the kind of its cells and their width in characters."""

    name: str
    header: str
    kind: str          # text | date | month | money | count | decimal | pct
    width: int


def _display_width(text: str) -> int:
    """Characters as Excel's column width counts them: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _kind(name: str, header: str, series: pd.Series) -> str:
    if header in CODE_HEADERS or name in CODED or pd.api.types.is_bool_dtype(series):
        return "text"
    if name.startswith(("from_poor", "is_poor")):
        return "text"
    if header in MONTH_HEADERS:
        return "month"
    if pd.api.types.is_datetime64_any_dtype(series) or series.map(lambda v: isinstance(v, dt.date)).any():
        return "date"
    if not pd.api.types.is_numeric_dtype(series):
        return "text"
    if header in MONEY_HEADERS:
        return "money"
    if pd.api.types.is_integer_dtype(series):
        return "count"
    return "pct" if "pct" in name or name.endswith("_pp") else "decimal"


def _texts(name: str, series: pd.Series, lang: str) -> pd.Series:
    """A text column's cells as people read them: coded values as labels, flags as 是/否, numbers without noise."""
    if name in CODED:
        return series.map(lambda code: code_label(name, code, lang) if isinstance(code, str) else code)
    if pd.api.types.is_bool_dtype(series) or name.startswith(("from_poor", "is_poor")):
        return series.map(lambda v: yes_no(v, lang))
    if pd.api.types.is_float_dtype(series):
        return series.map(lambda v: str(int(v)) if v == v and float(v).is_integer() else v)
    return series


def _empty(value) -> bool:
    return value is None or value == "" or (not isinstance(value, str) and bool(pd.isna(value)))


def _cells(frame: pd.DataFrame, columns: list[Column], lang: str) -> list[list]:
    """Each column's values ready to write: Excel serial numbers for dates, strings for text, None when empty."""
    out = []
    for spec, name in zip(columns, frame.columns):
        series = frame[name]
        if spec.kind == "text":
            out.append([None if _empty(v) else str(v) for v in _texts(name, series, lang)])
            continue
        if spec.kind in ("date", "month"):
            series = (pd.to_datetime(series, errors="coerce") - EXCEL_EPOCH) / pd.Timedelta(days=1)
        numbers = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        whole = spec.kind == "count"
        out.append([None if not np.isfinite(v) else int(v) if whole else float(v) for v in numbers])
    return out


def _columns(frame: pd.DataFrame, lang: str) -> list[Column]:
    """The columns of the first chunk: headers in the user's language, cell kinds, widths from header and values."""
    specs = []
    for name in frame.columns:
        header = column(name, lang)
        kind = _kind(name, header, frame[name])
        sample = _texts(name, frame[name].head(200), lang) if kind == "text" else pd.Series(dtype=object)
        widest = max([_display_width(str(v)) for v in sample.dropna()] + [0])
        floor = {"date": 11, "month": 8, "money": 14, "count": 8, "decimal": 12, "pct": 7}.get(kind, 6)
        specs.append(Column(name, header, kind, min(MAX_WIDTH, max(floor, widest, _display_width(header)) + 2)))
    return specs


class _Sheets:
    """Data sheets of one workbook: a new one, with its header, every SHEET_ROWS rows."""

    def __init__(self, book: xlsxwriter.Workbook, columns: list[Column], formats: dict, lang: str):
        self.book, self.columns, self.formats, self.lang = book, columns, formats, lang
        self.sheet, self.row, self.count, self.rows = None, 0, 0, 0

    def _start(self) -> None:
        self.count += 1
        name = t("xlsx_sheet_data", self.lang) + (f"({self.count})" if self.count > 1 else "")
        self.sheet = self.book.add_worksheet(name)
        for i, spec in enumerate(self.columns):
            self.sheet.set_column(i, i, spec.width)
            self.sheet.write_string(0, i, spec.header, self.formats["header"])
        self.sheet.freeze_panes(1, 0)
        self.row = 1

    def close(self) -> None:
        """Filter buttons over the header and every row of the last sheet."""
        if self.sheet is None:
            self._start()
        self.sheet.autofilter(0, 0, max(self.row - 1, 0), len(self.columns) - 1)

    def write(self, cells: list[list]) -> None:
        if self.sheet is None:
            self._start()
        kinds = [(spec.kind, self.formats[spec.kind]) for spec in self.columns]
        for values in zip(*cells):
            if self.row > SHEET_ROWS:
                self.close()
                self._start()
            sheet, row = self.sheet, self.row
            for i, value in enumerate(values):
                if value is None:
                    continue
                kind, style = kinds[i]
                if kind == "text":
                    sheet.write_string(row, i, value, style)
                else:
                    sheet.write_number(row, i, value, style)
            self.row += 1
            self.rows += 1


def _note_sheet(book: xlsxwriter.Workbook, note: dict[str, str], rows: int, formats: dict, lang: str) -> None:
    sheet = book.add_worksheet(t("xlsx_sheet_filters", lang))
    lines = [*note.items(), (t("xlsx_rows", lang), f"{rows:,}"), (t("xlsx_units", lang), t("xlsx_units_note", lang))]
    sheet.set_column(0, 0, max(_display_width(k) for k, _ in lines) + 2)
    sheet.set_column(1, 1, min(80, max(_display_width(v) for _, v in lines) + 2))
    for row, (key, value) in enumerate(lines):
        sheet.write_string(row, 0, key, formats["header"])
        sheet.write_string(row, 1, value)


def _first_with_rows(chunks: Iterator[pd.DataFrame]) -> pd.DataFrame:
    """The first chunk that has rows (an export's first chunk may only carry the columns), else the last one."""
    first = next(chunks)
    while first.empty and (following := next(chunks, None)) is not None:
        first = following
    return first


def xlsx_file(frames: Iterable[pd.DataFrame], lang: str, filters_note: dict[str, str]) -> BinaryIO:
    """A workbook of frames as queried (chunks of one table; the first sets the columns) and a sheet stating
    `filters_note` (filters_note() makes it), built in a temporary file and returned rewound for reading."""
    out = tempfile.TemporaryFile()
    with tempfile.TemporaryDirectory(prefix="fupin-xlsx-") as work:
        book = xlsxwriter.Workbook(out, {"constant_memory": True, "tmpdir": work, "strings_to_numbers": False,
                                         "strings_to_formulas": False, "strings_to_urls": False})
        formats = {kind: book.add_format(spec) for kind, spec in FORMATS.items()}
        chunks: Iterator[pd.DataFrame] = iter(frames)
        first = _first_with_rows(chunks)
        sheets = _Sheets(book, _columns(first, lang), formats, lang)
        sheets.write(_cells(first, sheets.columns, lang))
        for frame in chunks:
            sheets.write(_cells(frame, sheets.columns, lang))
        sheets.close()
        _note_sheet(book, filters_note, sheets.rows, formats, lang)
        book.close()
    out.seek(0)
    return out


def filters_note(flt: Filter, place: list[str], snapshot, lang: str = "zh", **more: str) -> dict[str, str]:
    """What an export covers, as its second sheet states it: the place (范围 › 乡镇 › 村), the dates, the choices
    made, `more` (e.g. 只看不合格), and the data label of the snapshot."""
    note = {t("scope", lang): " › ".join(place),
            t("xlsx_dates", lang): f"{flt.date_from.isoformat()} — {flt.date_to.isoformat()}"}
    if flt.buyer_type:
        note[t("buyer_type", lang)] = label(BUYER_TYPES, flt.buyer_type, lang)
    if flt.product_category:
        note[t("product_category", lang)] = flt.product_category
    if flt.channel:
        note[t("channel", lang)] = label(CHANNELS, flt.channel, lang)
    return {**note, **more, t("xlsx_data", lang): fmt.data_label(snapshot, lang)}


def xlsx_name(what: str, scope: list[str], date_from: dt.date, date_to: dt.date) -> str:
    """The CSV's file name with .xlsx: 采购明细_华峰乡_2018-01-01_2018-12-29.xlsx."""
    return file_name(what, scope, date_from, date_to).removesuffix(".csv") + ".xlsx"
