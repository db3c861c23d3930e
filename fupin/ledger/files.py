"""Reading a ledger file into a grid of cell texts: .xlsx (any sheet) or .csv in UTF-8, UTF-8 with BOM or GBK/GB18030."""

import csv
import datetime as dt
import functools
import hashlib
import io
import zipfile
from dataclasses import dataclass

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from .. import settings

SUFFIXES = (".xlsx", ".csv")
ZIP_MAGIC = b"PK\x03\x04"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


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


def _cell_text(value) -> str | None:
    """An Excel cell as the text a person sees in it (dates as YYYY-MM-DD, 12.0 as 12)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _open_workbook(file: LedgerFile):
    if not file.content.startswith(ZIP_MAGIC):
        raise LedgerFileError("不是有效的 .xlsx 文件（旧版 .xls 请在 Excel 中另存为 .xlsx）")
    try:
        return openpyxl.load_workbook(io.BytesIO(file.content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as e:
        raise LedgerFileError("xlsx 文件已损坏，无法打开") from e


def sheet_names(file: LedgerFile) -> list[str]:
    """The worksheet names of an .xlsx ledger, first sheet first."""
    workbook = _open_workbook(file)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def _read_xlsx(file: LedgerFile, sheet: str | None) -> list[list[str | None]]:
    workbook = _open_workbook(file)
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            raise LedgerFileError(f"没有名为“{sheet}”的工作表（有：{'、'.join(workbook.sheetnames)}）")
        worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
        return [[_cell_text(v) for v in row] for row in worksheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _decode(content: bytes) -> str:
    """CSV text: UTF-16 or UTF-8 by their BOM, else UTF-8, else GB18030 (which covers GBK)."""
    utf16 = content.startswith(UTF16_BOMS)
    if not utf16 and b"\x00" in content:
        raise LedgerFileError("文件内容不是 CSV 文本（可能是 Excel 或其他二进制文件改了扩展名）")
    for encoding in ("utf-16",) if utf16 else ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise LedgerFileError("无法识别文件编码（支持 UTF-8、带 BOM 的 UTF-8、GBK/GB18030）")


def _read_csv(file: LedgerFile) -> list[list[str | None]]:
    text = _decode(file.content)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    try:
        return [[cell or None for cell in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as e:
        raise LedgerFileError("CSV 格式有误，无法读取") from e


def read_grid(file: LedgerFile, sheet: str | None = None) -> list[list[str | None]]:
    """Every row of the file (or of one sheet) as cell texts; LedgerFileError when it cannot be a ledger."""
    if file.suffix not in SUFFIXES:
        raise LedgerFileError("只接受 .xlsx 或 .csv 文件")
    if len(file.content) > max_bytes():
        raise LedgerFileError(f"文件超过 {settings.max_upload_mb()} MB 上限")
    if not file.content.strip():
        raise LedgerFileError("文件是空的")
    grid = _read_xlsx(file, sheet) if file.suffix == ".xlsx" else _read_csv(file)
    if not any(any(cell is not None and cell.strip() for cell in row) for row in grid):
        raise LedgerFileError("文件是空的")
    return grid
