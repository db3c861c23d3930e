"""An .xlsx opened as the zip it is, before any XML parser reads a sheet: its sheet names, and the refusal of a
workbook that would cost far more to read than its size says (a decompression bomb, or more rows than Excel holds).

Everything here is decided from the zip's directory, a few small parts and the first bytes of each sheet (a sheet
without a `<dimension>` has its rows counted in one streaming pass), so a refusal takes well under a second.
"""

import io
import itertools
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree import ElementTree

# Excel's last row: a sheet that claims or holds more is no ledger, and openpyxl would read (or pad) every row.
EXCEL_MAX_ROWS = 1_048_576
# How many times a part may shrink when zipped: sheets from Excel shrink 10 to 30 times, a bomb 100 times and more.
MAX_RATIO = 100
# Parts smaller than this (unpacked) cost nothing to read, however well they compress.
RATIO_FLOOR_BYTES = 1024 * 1024
# The parts read whole to find the sheets ([Content_Types].xml, the workbook and its relationships) are a few KB.
MAX_PART_BYTES = 8 * 1024 * 1024
# A sheet's <dimension> comes right after its short <sheetPr>.
HEAD_BYTES = 64 * 1024
READ_BLOCK = 1024 * 1024

CONTENT_TYPES = "[Content_Types].xml"
DEFAULT_WORKBOOK = "xl/workbook.xml"
# The workbook part's content types, in the order openpyxl looks for them.
WORKBOOK_TYPES = tuple(f"application/vnd.{kind}.main+xml" for kind in (
    "ms-excel.template.macroEnabled", "openxmlformats-officedocument.spreadsheetml.template",
    "ms-excel.sheet.macroEnabled", "openxmlformats-officedocument.spreadsheetml.sheet"))
PACKAGE_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension\b[^>]*?\bref\s*=\s*[\"']([^\"']*)[\"']")
SHEET_DATA = re.compile(rb"<(?:[\w.-]+:)?sheetData[\s/>]")
ROW_TAG = re.compile(rb"<(?:[\w.-]{1,64}:)?row[\s/>]")
# Longer than any ROW_TAG match: a tag cut by a block boundary is looked at again with the next block.
TAG_ROOM = 80

BROKEN = "xlsx 文件已损坏，无法打开"
UNREADABLE = (zipfile.BadZipFile, zipfile.LargeZipFile, ElementTree.ParseError, KeyError, ValueError, OSError,
              EOFError, NotImplementedError, RuntimeError)


class WorkbookRefused(ValueError):
    """An .xlsx that is not read; the message is one Chinese sentence saying why."""


@dataclass(frozen=True)
class Sheet:
    """A sheet as the workbook lists it: its name and its part in the zip (None for a chart sheet)."""

    name: str
    part: str | None


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:,.0f}"


def _check_size(archive: zipfile.ZipFile, max_unpacked_bytes: int) -> None:
    """Refuse on the zip's directory alone a workbook too big unpacked (the declared sizes can be trusted: zipfile
    stops unpacking a part at its declared size)."""
    total = sum(info.file_size for info in archive.infolist())
    if total > max_unpacked_bytes:
        raise WorkbookRefused(f"xlsx 文件解压后有 {_mb(total)} MB，超过上限 {_mb(max_unpacked_bytes)} MB，未读取")


def _check_ratios(archive: zipfile.ZipFile, sheets: list[Sheet]) -> None:
    """Refuse a workbook with a part that shrank far more when zipped than a real one does (named by its sheet)."""
    names = {sheet.part: sheet.name for sheet in sheets}
    for info in archive.infolist():
        if info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_RATIO * info.compress_size:
            ratio = info.file_size / max(info.compress_size, 1)
            part = f"工作表“{names[info.filename]}”" if info.filename in names else f"xlsx 文件中的 {info.filename} "
            raise WorkbookRefused(f"{part}解压后是压缩时的 {ratio:,.0f} 倍（正常文件不超过 {MAX_RATIO} 倍），"
                                  "疑似压缩炸弹，未读取")


def _small_xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    """A small part parsed whole (KeyError when it is missing)."""
    size = archive.getinfo(name).file_size
    if size > MAX_PART_BYTES:
        raise WorkbookRefused(f"xlsx 文件中的 {name} 过大（{_mb(size)} MB），未读取")
    return ElementTree.fromstring(archive.read(name))


def _workbook_part(archive: zipfile.ZipFile) -> str:
    """The workbook part as openpyxl finds it: named in [Content_Types].xml, else xl/workbook.xml."""
    overrides = [(o.get("ContentType"), o.get("PartName", "")) for o in _small_xml(archive, CONTENT_TYPES).iter(
        f"{PACKAGE_NS}Override")]
    for content_type in WORKBOOK_TYPES:
        for kind, part in overrides:
            if kind == content_type:
                return part.lstrip("/")
    return DEFAULT_WORKBOOK


def _attribute(element: ElementTree.Element, local: str) -> str | None:
    """An attribute by its local name, whatever its namespace (r:id)."""
    return next((v for k, v in element.attrib.items() if k == local or k.endswith("}" + local)), None)


def _sheets(archive: zipfile.ZipFile) -> list[Sheet]:
    """The sheets the workbook part lists, in its order, each with its part (resolved as openpyxl resolves it)."""
    workbook = _workbook_part(archive)
    folder, base = posixpath.split(workbook)
    targets = {}
    for rel in _small_xml(archive, posixpath.join(folder, "_rels", base + ".rels")).iter(f"{RELS_NS}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        target = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        targets[rel.get("Id")] = (target, rel.get("Type", "").endswith("/worksheet"))
    names = set(archive.namelist())
    sheets = []
    for element in _small_xml(archive, workbook).iter():
        if element.tag.rsplit("}", 1)[-1] != "sheet":
            continue
        target, is_worksheet = targets.get(_attribute(element, "id"), (None, False))
        if target in names:   # openpyxl leaves out a sheet whose part is missing
            sheets.append(Sheet(element.get("name", ""), target if is_worksheet else None))
    return sheets


def _count_rows(blocks: Iterator[bytes]) -> int:
    """The <row> elements in a sheet's XML given block by block; stops counting once past EXCEL_MAX_ROWS."""
    rows, carry = 0, b""
    for block in blocks:
        buffer = carry + block
        cut = buffer.rfind(b"<")
        if cut < 0 or len(buffer) - cut > TAG_ROOM:   # no tag can still be cut off at the end
            cut = len(buffer)
        rows += len(ROW_TAG.findall(buffer, 0, cut))
        carry = buffer[cut:]
        if rows > EXCEL_MAX_ROWS:
            return rows
    return rows + len(ROW_TAG.findall(carry))


def _sheet_rows(archive: zipfile.ZipFile, part: str) -> int:
    """The last row a sheet's <dimension> names, or, without one, how many rows it holds (counted in one pass)."""
    with archive.open(part) as stream:
        head = stream.read(HEAD_BYTES)
        dimension, data = DIMENSION.search(head), SHEET_DATA.search(head)
        rows = [int(n) for n in re.findall(rb"\d+", dimension.group(1))] if dimension else []
        if rows and (data is None or dimension.start() < data.start()):
            return max(rows)
        return _count_rows(itertools.chain([head], iter(lambda: stream.read(READ_BLOCK), b"")))


def sheet_names(content: bytes, max_unpacked_bytes: int) -> list[str]:
    """The sheet names of an .xlsx, first sheet first, read without parsing any sheet; WorkbookRefused when it is
    no workbook, unpacks to more than `max_unpacked_bytes`, has a part (of over RATIO_FLOOR_BYTES) that compressed
    more than MAX_RATIO times, or a sheet whose dimension or rows pass EXCEL_MAX_ROWS."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            _check_size(archive, max_unpacked_bytes)
            sheets = _sheets(archive)
            _check_ratios(archive, sheets)
            for sheet in sheets:
                if sheet.part and _sheet_rows(archive, sheet.part) > EXCEL_MAX_ROWS:
                    raise WorkbookRefused(f"工作表“{sheet.name}”超过 Excel 的上限 {EXCEL_MAX_ROWS:,} 行，未读取")
    except WorkbookRefused:
        raise
    except UNREADABLE:
        raise WorkbookRefused(BROKEN) from None
    return [sheet.name for sheet in sheets]
