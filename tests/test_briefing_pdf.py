"""The briefing as an A4 PDF printed by Debian's Chromium, and `python -m fupin brief --format html|pdf --output`:
page count, the text of page 1 (pdftotext), colours of a rendered page (pdftoppm), fonts embedded."""

import datetime as dt
import re
import subprocess
import time

import pytest
from conftest import run_cli

from fupin.query import scope
from fupin.query.filters import Filter
from fupin.report import briefing
from fupin.report.briefing_pdf import NoBrowser, PdfError, pdf_bytes

pytestmark = pytest.mark.browser   # printed to PDF by Chromium

REPORT_DAY = dt.date(2018, 12, 29)
RED, GREEN = (198, 40, 40), (46, 125, 50)
# What differs between two renderings of the same briefing: plotly's div ids, and the last digits of sums that
# DuckDB adds up in a different order.
NOISE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|(?<=\d\.\d{6})\d+")


@pytest.fixture(scope="module")
def county(demo_store, demo_db):
    flt = Filter.year_to_date(REPORT_DAY, counties=("140827",))
    return briefing.build(demo_db, flt, "140827", "垣曲县", "zh", demo_store.root, scope.county_names(demo_db))


@pytest.fixture(scope="module")
def county_pdf(county, tmp_path_factory):
    started = time.monotonic()
    pdf = pdf_bytes(county.html("zh"))
    print(f"\nPDF rendered in {time.monotonic() - started:.1f} s")
    path = tmp_path_factory.mktemp("pdf") / "briefing.pdf"
    path.write_bytes(pdf)
    return path


def page_text(path, page: int) -> str:
    return subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


def page_images(path, tmp_path) -> list:
    """Every page as RGB pixels (pdftoppm, 50 dpi)."""
    subprocess.run(["pdftoppm", "-r", "50", str(path), str(tmp_path / "page")], check=True)
    return [ppm_pixels(p.read_bytes()) for p in sorted(tmp_path.glob("page-*.ppm"))]


def ppm_pixels(data: bytes) -> set[tuple[int, int, int]]:
    """The distinct colours of a binary PPM image (P6, 8 bits)."""
    magic, width, height, depth, pixels = data.split(maxsplit=4)
    assert magic == b"P6" and depth == b"255"
    return {tuple(pixels[i:i + 3]) for i in range(0, int(width) * int(height) * 3, 3)}


def near(colours: set, target: tuple[int, int, int], tolerance: int = 12) -> bool:
    return any(all(abs(c - t) <= tolerance for c, t in zip(colour, target)) for colour in colours)


def test_the_county_brief_is_two_a4_pages_at_most(county_pdf, tmp_path):
    pages = page_images(county_pdf, tmp_path)
    assert 1 <= len(pages) <= 2
    info = subprocess.run(["pdfinfo", str(county_pdf)], capture_output=True, text=True, check=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    assert (round(width), round(height)) == (595, 842), "A4 portrait"


def test_page_one_holds_the_attention_list_the_tiles_and_the_map(county_pdf):
    text = page_text(county_pdf, 1)
    for fragment in ("一、需要关注的问题", "1.王茅镇落后序时进度", "华峰乡落后序时进度", "垣曲县抽样检验批次完成全年目标的93.2%",
                     "抽检不合格", "采购金额", "采购数量", "其中贫困村", "抽样检验", "快速检测", "今年新增合作社",
                     "4154.6万元", "746批次", "685户", "乡镇边界为示意"):
        assert fragment in text.replace("\n", "").replace(" ", ""), fragment
    assert "二、垣曲县工作进展" not in text, "the text follows on page 2"
    second = page_text(county_pdf, 2)
    assert "二、垣曲县工作进展（截至2018年12月29日）" in second and "快速检测606批次" in second


def test_red_behind_and_green_ahead_are_printed(county_pdf, tmp_path):
    first = page_images(county_pdf, tmp_path)[0]
    assert near(first, RED) and near(first, GREEN)


def test_every_font_is_embedded(county_pdf):
    fonts = subprocess.run(["pdffonts", str(county_pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), fonts


def test_a_page_naming_the_internet_still_prints_and_fetches_nothing():
    started = time.monotonic()
    pdf = pdf_bytes('<html><body><p>离线</p><img src="https://example.com/x.png">'
                    '<script src="https://cdn.example.com/x.js"></script></body></html>')
    assert pdf.startswith(b"%PDF") and time.monotonic() - started < 60


def test_no_browser_is_one_clear_error(monkeypatch):
    monkeypatch.setenv("FUPIN_CHROMIUM", "/nonexistent/chromium")
    with pytest.raises(NoBrowser, match="FUPIN_CHROMIUM"):
        pdf_bytes("<p>x</p>")
    with pytest.raises(PdfError, match="未能生成"):
        pdf_bytes("<p>x</p>", chromium="/bin/false")


def test_cli_writes_the_same_html_as_the_page(county, demo_store, tmp_path):
    out = tmp_path / "简报.html"
    result = run_cli("brief", "--as-of", "2018-12-29", "--format", "html", "--output", str(out), data=demo_store.root)
    assert result.returncode == 0, result.stderr
    assert NOISE.sub("", out.read_text(encoding="utf-8")) == NOISE.sub("", county.html("zh"))
    assert [p.name for p in tmp_path.iterdir()] == ["简报.html"], "no temporary file left beside it"


def test_cli_writes_a_pdf_of_a_township(demo_store, tmp_path):
    out = tmp_path / "huafeng.pdf"
    result = run_cli("brief", "--as-of", "2018-12-29", "--township", "华峰乡", "--format", "pdf", "--output", str(out),
                   data=demo_store.root)
    assert result.returncode == 0, result.stderr
    text = page_text(out, 1).replace(" ", "")
    assert "华峰乡消费帮扶工作简报" in text and "华峰乡落后序时进度" in text


@pytest.mark.parametrize("args, status, message", [
    (["--format", "pdf"], 2, "--format pdf 需要 --output"),
    (["--format", "html", "--output", "/nonexistent-folder/x.html"], 2, "输出文件的目录不存在"),
    (["--format", "html", "--output", "/proc/briefing.html"], 3, "无法写入 /proc/briefing.html"),
])
def test_cli_errors_are_one_line(demo_store, args, status, message):
    result = run_cli("brief", "--as-of", "2018-12-29", *args, data=demo_store.root)
    assert result.returncode == status and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
