"""The load-test harness against the real app: 30 browser sessions at once, no errors, every one sees a KPI tile.

Timings are reported by `python -m fupin loadtest`, never asserted here.
"""

from pathlib import Path

import pytest

from fupin import loadtest

pytestmark = pytest.mark.skipif(not Path(loadtest.CHROMIUM).exists(), reason="needs Debian's chromium")


def test_thirty_sessions_against_the_app(demo_store, tmp_path):
    result = loadtest.run(demo_store.root, sessions=30, seconds=15, log_path=tmp_path / "server.log")
    log = (tmp_path / "server.log").read_text(encoding="utf-8", errors="replace")[-3000:]
    assert result["errors"] == 0, (result["error_samples"], log)
    assert result["sessions_with_a_tile"] == 30
    assert result["page_loads"] >= 30
    assert result["server_alive_at_end"]
    assert result["cold_start_first_paint_s"] > 0 and result["server_rss_mb"]["peak"] > 0
