"""Tables as people read them and as CSV files Excel opens correctly: labels, BOM, neutralised formulas."""

import datetime as dt
import re
import tempfile
from collections.abc import Iterable
from typing import BinaryIO

import pandas as pd

from .i18n import CODED, code_label, column, yes_no

BOM = "\ufeff"
# A cell starting with one of these is run as a formula by Excel (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
UNSAFE_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\s]+')


def readable(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Coded values as labels, yes/no for flags, dates as dates, headers in the user's language."""
    out = frame.copy()
    for name in out.columns:
        series = out[name]
        if name in CODED:
            out[name] = series.map(lambda code: code_label(name, code, lang) if isinstance(code, str) else code)
        elif pd.api.types.is_bool_dtype(series) or name.startswith(("from_poor", "is_poor")):
            out[name] = series.map(lambda v: yes_no(v, lang))
        elif pd.api.types.is_datetime64_any_dtype(series):
            out[name] = series.dt.date.where(series.notna(), "")
        elif series.dtype == object or pd.api.types.is_string_dtype(series):
            out[name] = series.where(series.notna(), "")
    return out.rename(columns={name: column(name, lang) for name in out.columns})


def _neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_text(frame: pd.DataFrame, header: bool = True) -> str:
    """CSV text in which cells that Excel would run as formulas get a leading '."""
    safe = frame.copy()
    for name in safe.columns:
        if safe[name].dtype == object or pd.api.types.is_string_dtype(safe[name]):
            safe[name] = safe[name].map(_neutralise)
    safe.columns = [_neutralise(str(c)) for c in safe.columns]
    return safe.to_csv(index=False, header=header, lineterminator="\r\n")


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a BOM (Excel shows Chinese); text cells that Excel would run as formulas get a leading '."""
    return (BOM + _csv_text(frame)).encode("utf-8")


def csv_file(frames: Iterable[pd.DataFrame], lang: str = "zh") -> BinaryIO:
    """The same CSV built chunk by chunk in a temporary file, so an export of millions of rows stays small in
    memory; returned rewound for reading."""
    out = tempfile.TemporaryFile()
    out.write(BOM.encode("utf-8"))
    for i, frame in enumerate(frames):
        out.write(_csv_text(readable(frame, lang), header=i == 0).encode("utf-8"))
    out.seek(0)
    return out


def file_name(what: str, scope: list[str], date_from: dt.date, date_to: dt.date) -> str:
    """A file name that says what and when, e.g. 采购_华峰乡_2018-01-01_2018-12-29.csv."""
    parts = [what, *scope, date_from.isoformat(), date_to.isoformat()]
    return "_".join(UNSAFE_IN_FILE_NAMES.sub("-", p).strip("-") for p in parts if p) + ".csv"
