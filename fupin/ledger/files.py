"""Reading a ledger file row by row as cell texts: .xlsx (any sheet) or .csv in UTF-8, UTF-8 with BOM or GBK/GB18030.

Rows are streamed, so a file of millions of rows is never held as a grid of Python strings; an .xlsx is first looked
at as the zip it is (xlsx_parts), so a decompression bomb is refused before openpyxl reads any of it.
"""

import codecs
import csv
import datetime as dt
import functools
import hashlib
import io
import math
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from .. import settings
from .xlsx_parts import EXCEL_MAX_ROWS, WorkbookRefused
from .xlsx_parts import sheet_names as workbook_sheet_names

SUFFIXES = (".xlsx", ".csv")
ZIP_MAGIC = b"PK\x03\x04"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
DECODE_BLOCK = 1 << 20
EMPTY_FILE = "文件是空的"
NOT_XLSX = "不是有效的 .xlsx 文件（旧版 .xls 请在 Excel 中另存为 .xlsx）"
TOO_MANY_ROWS = "工作表“{sheet}”超过 Excel 的上限 {rows:,} 行，未读完"
# An .xlsx may unpack to this many times the largest upload; a real ledger unpacks to 10 to 30 times its size.
UNPACKED_FACTOR = 20


class LedgerFileError(Exception):
    """A file that cannot be read as a ledger at all; the message is the reason shown to staff."""


@dataclass(frozen=True)
class LedgerFile:
    """An uploaded or given ledger: its name as the user gave it (shown, never used as a path) and its bytes."""

    name: str
    content: bytes

    @functools.cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def suffix(self) -> str:
        return "." + self.name.rsplit(".", 1)[-1].lower() if "." in self.name else ""


def max_bytes() -> int:
    """The largest file accepted, from settings.max_upload_mb()."""
    return settings.max_upload_mb() * 1024 * 1024


def max_unpacked_bytes() -> int:
    """The most an accepted .xlsx may unpack to: UNPACKED_FACTOR times the largest file accepted."""
    return UNPACKED_FACTOR * max_bytes()


def _cell_text(value) -> str | None:
    """An Excel cell as the text a person sees in it (dates as YYYY-MM-DD, 12.0 as 12)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and math.isfinite(value):
        # As Excel shows it, never in exponent form (str(1e16) is "1e+16", which no ledger cell says).
        return str(int(value)) if value.is_integer() else np.format_float_positional(value, trim="-")
    return str(value)


def sheet_names(file: LedgerFile) -> list[str]:
    """The sheet names of an .xlsx ledger, first sheet first, read from its workbook part without reading a sheet;
    LedgerFileError when it is no workbook, or would cost far more to read than its size says (a decompression bomb,
    a sheet of more rows than Excel holds)."""
    if not file.content.startswith(ZIP_MAGIC):
        raise LedgerFileError(NOT_XLSX)
    try:
        return workbook_sheet_names(file.content, max_unpacked_bytes())
    except WorkbookRefused as e:
        raise LedgerFileError(str(e)) from None


def _open_workbook(file: LedgerFile):
    sheet_names(file)   # a bomb is refused here, before openpyxl unpacks anything
    try:
        return openpyxl.load_workbook(io.BytesIO(file.content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError, NotImplementedError) as e:
        raise LedgerFileError("xlsx 文件已损坏，无法打开") from e


def _xlsx_rows(file: LedgerFile, sheet: str | None) -> Iterator[list[str | None]]:
    workbook = _open_workbook(file)
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            raise LedgerFileError(f"没有名为“{sheet}”的工作表（有：{'、'.join(workbook.sheetnames)}）")
        worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
        try:
            for number, row in enumerate(worksheet.iter_rows(values_only=True), start=1):
                if number > EXCEL_MAX_ROWS:   # rows openpyxl pads in for a gap in the row numbers count too
                    raise LedgerFileError(TOO_MANY_ROWS.format(sheet=worksheet.title, rows=EXCEL_MAX_ROWS))
                yield [_cell_text(v) for v in row]
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
            raise LedgerFileError("xlsx 文件已损坏，无法读取") from e
    finally:
        workbook.close()


def _encoding(content: bytes) -> str:
    """The CSV's encoding: UTF-16 or UTF-8 by their BOM, else UTF-8 if it all decodes, else GB18030 (covers GBK).

    Checked block by block, so no decoded copy of the whole file is made.
    """
    utf16 = content.startswith(UTF16_BOMS)
    if not utf16 and b"\x00" in content:
        raise LedgerFileError("文件内容不是 CSV 文本（可能是 Excel 或其他二进制文件改了扩展名）")
    view = memoryview(content)
    for encoding in ("utf-16",) if utf16 else ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for start in range(0, len(content), DECODE_BLOCK):
                decoder.decode(view[start:start + DECODE_BLOCK])
            decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise LedgerFileError("无法识别文件编码（支持 UTF-8、带 BOM 的 UTF-8、GBK/GB18030）")


def _csv_rows(file: LedgerFile) -> Iterator[list[str | None]]:
    encoding = _encoding(file.content)
    first_line = codecs.decode(file.content[:64 * 1024], encoding, errors="ignore").split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    text = io.TextIOWrapper(io.BytesIO(file.content), encoding=encoding, newline="")
    try:
        for row in csv.reader(text, delimiter=delimiter):
            yield [cell or None for cell in row]
    except csv.Error as e:
        raise LedgerFileError("CSV 格式有误，无法读取") from e


def check_file(file: LedgerFile) -> None:
    """Raise LedgerFileError when the file cannot be a ledger at all: not .xlsx or .csv, over the size limit, empty,
    or an .xlsx that is no workbook or would cost far more to read than its size says."""
    if file.suffix not in SUFFIXES:
        raise LedgerFileError("只接受 .xlsx 或 .csv 文件")
    if len(file.content) > max_bytes():
        raise LedgerFileError(f"文件超过 {settings.max_upload_mb()} MB 上限")
    if not file.content.strip():
        raise LedgerFileError(EMPTY_FILE)
    if file.suffix == ".xlsx":
        _open_workbook(file).close()


def iter_rows(file: LedgerFile, sheet: str | None = None) -> Iterator[list[str | None]]:
    """Every row of the file (or of one sheet) as cell texts, one at a time; LedgerFileError when it cannot be a
    ledger (raised before the first row for a wrong type, size, encoding or a bomb; later for a broken row)."""
    check_file(file)
    return _xlsx_rows(file, sheet) if file.suffix == ".xlsx" else _csv_rows(file)


def read_grid(file: LedgerFile, sheet: str | None = None) -> list[list[str | None]]:
    """Every row of the file (or of one sheet) as cell texts; LedgerFileError when it cannot be a ledger."""
    grid = list(iter_rows(file, sheet))
    if not any(any(cell is not None and cell.strip() for cell in row) for row in grid):
        raise LedgerFileError(EMPTY_FILE)
    return grid
