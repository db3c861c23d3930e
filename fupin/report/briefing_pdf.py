"""The briefing as an A4 PDF: Debian's Chromium prints the briefing HTML on the server, headless and cut off from
any network, with the CJK fonts it draws embedded."""

import subprocess
import tempfile
from pathlib import Path

from .. import settings

# Every host name fails to resolve: a page that names a URL still prints, and nothing leaves the machine.
CHROMIUM_ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--host-resolver-rules=MAP * ~NOTFOUND", "--no-pdf-header-footer",
                 "--virtual-time-budget=10000")
TIMEOUT_S = 120


class PdfError(RuntimeError):
    """The PDF could not be printed; the message is one line."""


class NoBrowser(PdfError):
    """No Chromium where the setting says (FUPIN_CHROMIUM)."""


def pdf_bytes(page_html: str, chromium: str | None = None, timeout: float = TIMEOUT_S) -> bytes:
    """The A4 PDF of a self-contained HTML page (briefing.Briefing.html())."""
    browser = chromium or settings.chromium()
    if not Path(browser).is_file():
        raise NoBrowser(f"找不到 Chromium：{browser}（设置 FUPIN_CHROMIUM，或安装 Debian 的 chromium）")
    with tempfile.TemporaryDirectory(prefix="fupin-pdf-") as folder:
        page, pdf = Path(folder) / "briefing.html", Path(folder) / "briefing.pdf"
        page.write_text(page_html, encoding="utf-8")
        command = [browser, *CHROMIUM_ARGS, f"--user-data-dir={folder}/profile", f"--print-to-pdf={pdf}",
                   page.as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise PdfError(f"Chromium 未在 {timeout:g} 秒内生成 PDF") from None
        if done.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
            last = (done.stderr.decode(errors="replace").strip().splitlines() or [""])[-1][:200]
            raise PdfError(f"Chromium 未能生成 PDF（退出码 {done.returncode}）：{last}")
        return pdf.read_bytes()
