"""Tables as people read them and as CSV files Excel opens correctly: labels, BOM, neutralised formulas, money to
the fen, whole counts, codes kept as text, months as 2018-01, blanks for missing values."""

import datetime as dt
import re
import tempfile
from collections.abc import Iterable, Iterator
from typing import BinaryIO

import numpy as np
import pandas as pd

from .i18n import CODED, COLUMNS, VALUES, code_label, column, value_label, yes_no

BOM = "\ufeff"
# A cell starting with one of these is run as a formula by Excel (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
UNSAFE_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\s]+')
# Codes and ids Excel would turn into numbers (1.40827E+11) or strip of leading zeros; written as ="..." so Excel
# keeps the text. Only plain letters and digits are written so; anything else is text, neutralised as usual.
CODE_COLUMNS = ("township_code", "village_code", "scope_code", "county_code", "credit_code", "supplier_credit_code",
                "purchase_id", "inspection_id", "buyer_id", "offer_id", "contact_phone", "source_credit_code",
                "product_id", "sale_id", "outlet_id", "event_id")
PLAIN_CODE = re.compile(r"^[0-9A-Za-z]+$")
MONEY_COLUMNS = tuple(name for name in COLUMNS if "yuan" in name) + ("cumulative", "expected")
MONTH_COLUMNS = ("month",)


def _by_header(names: Iterable[str]) -> set[str]:
    """Column names with their headers in both languages, so a frame already made readable is recognised too."""
    return {header for name in names for header in (name, column(name, "zh"), column(name, "en"))}


CODE_HEADERS, MONEY_HEADERS, MONTH_HEADERS = (_by_header(names) for names in (CODE_COLUMNS, MONEY_COLUMNS,
                                                                                 MONTH_COLUMNS))


def readable(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Coded values as labels (and Chinese words such as food categories in English for an English reader), yes/no
    for flags, dates as dates, months as 2018-01, headers in the user's language."""
    out = frame.copy()
    for name in out.columns:
        series = out[name]
        if name in CODED:
            out[name] = series.map(lambda code, name=name: code_label(name, code, lang) if isinstance(code, str) else code)
        elif name in VALUES and lang != "zh":
            out[name] = series.map(lambda value, name=name: value_label(name, value, lang)).where(series.notna(), "")
        elif pd.api.types.is_bool_dtype(series) or name.startswith(("from_poor", "is_poor")):
            out[name] = series.map(lambda v: yes_no(v, lang))
        elif name in MONTH_HEADERS:
            out[name] = pd.to_datetime(series, errors="coerce").dt.strftime("%Y-%m").where(series.notna(), "")
        elif pd.api.types.is_datetime64_any_dtype(series):
            out[name] = series.dt.strftime("%Y-%m-%d").where(series.notna(), "")
        elif series.dtype == object and series.map(lambda v: isinstance(v, dt.date)).any():
            out[name] = series.map(lambda v: v.isoformat()[:10] if isinstance(v, dt.date) else "")
        elif series.dtype == object or pd.api.types.is_string_dtype(series):
            out[name] = series.where(series.notna(), "")
    return out.rename(columns={name: column(name, lang) for name in out.columns})


def _neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _text_cell(value) -> str:
    """A cell of a text (or mixed) column: dates as 2018-12-29, numbers without float noise, text neutralised."""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.2f}".rstrip("0").rstrip(".")
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value.isoformat()[:10]
    return _neutralise(str(value))


def _decimals(values: pd.Series, fixed: bool) -> pd.Series:
    """Numbers to two decimals (the fen, or 10 g), trailing zeros dropped unless `fixed`."""
    text = pd.Series(np.char.mod("%.2f", values.to_numpy(dtype=float, na_value=np.nan)), index=values.index)
    return text if fixed else text.str.rstrip("0").str.rstrip(".")


def _column_cells(header: str, series: pd.Series) -> pd.Series:
    """The CSV text of one column's cells, by what the column holds."""
    if header in CODE_HEADERS:
        text = series.astype(str)
        cells = ('="' + text + '"').where(text.str.fullmatch(PLAIN_CODE.pattern), text.map(_neutralise))
    elif pd.api.types.is_numeric_dtype(series) and header in MONEY_HEADERS:
        cells = _decimals(series, fixed=True)
    elif pd.api.types.is_integer_dtype(series):
        cells = series.astype("Int64").astype(str)
    elif pd.api.types.is_float_dtype(series):
        whole = (series.dropna() % 1 == 0).all()
        cells = series.round().astype("Int64").astype(str) if whole else _decimals(series, fixed=False)
    elif pd.api.types.is_string_dtype(series) and not pd.api.types.is_object_dtype(series):
        cells = series.where(~series.str.startswith(FORMULA_STARTS, na=False), "'" + series)
    else:
        cells = series.map(_text_cell, na_action="ignore")
    return cells.where(series.notna() & (series.astype(object) != ""), "")


def _excel_cells(shown: pd.DataFrame) -> pd.DataFrame:
    """Every cell of a readable frame as the text the CSV holds."""
    cells = pd.concat([_column_cells(header, shown.iloc[:, i]) for i, header in enumerate(shown.columns)], axis=1)
    cells.columns = [_neutralise(str(header)) for header in shown.columns]
    return cells


def _csv_text(frame: pd.DataFrame, lang: str, header: bool = True) -> str:
    return _excel_cells(readable(frame, lang)).to_csv(index=False, header=header, lineterminator="\r\n")


def csv_bytes(frame: pd.DataFrame, lang: str = "zh") -> bytes:
    """A frame as queried (or already readable) as UTF-8 CSV with a BOM (Excel shows Chinese), cells as Excel
    should show them; text that Excel would run as a formula gets a leading '."""
    return (BOM + _csv_text(frame, lang)).encode("utf-8")


def csv_chunks(frames: Iterable[pd.DataFrame], lang: str = "zh") -> Iterator[bytes]:
    """The same CSV as bytes, a chunk of frames at a time (the BOM and header first), for a streamed download."""
    yield BOM.encode("utf-8")
    for i, frame in enumerate(frames):
        yield _csv_text(frame, lang, header=i == 0).encode("utf-8")


def csv_file(frames: Iterable[pd.DataFrame], lang: str = "zh") -> BinaryIO:
    """The same CSV built chunk by chunk in a temporary file, so an export of millions of rows stays small in
    memory; returned rewound for reading."""
    out = tempfile.TemporaryFile()
    for chunk in csv_chunks(frames, lang):
        out.write(chunk)
    out.seek(0)
    return out


def file_name(what: str, scope: list[str], date_from: dt.date, date_to: dt.date) -> str:
    """A file name that says what and when, e.g. 采购_华峰乡_2018-01-01_2018-12-29.csv."""
    parts = [what, *scope, date_from.isoformat(), date_to.isoformat()]
    return "_".join(UNSAFE_IN_FILE_NAMES.sub("-", p).strip("-") for p in parts if p) + ".csv"
