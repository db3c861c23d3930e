"""The load-test harness against the real app: concurrent sessions, no errors, every one sees a KPI tile.

30 sessions speak Streamlit's websocket protocol (the server under 30 at once, quick on CI's 2 cores); a few
real browsers check the browser path and the first paint. Timings are reported by `python -m fupin loadtest`,
never asserted here.
"""

import pytest

from fupin.tools import loadtest

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.slow]


@pytest.mark.parametrize("clients, sessions, seconds, think_s", [("websocket", 30, 10, 0.5), ("browser", 4, 10, 0)])
def test_concurrent_sessions_against_the_app(demo_store, tmp_path, clients, sessions, seconds, think_s):
    result = loadtest.run(demo_store.root, sessions=sessions, seconds=seconds, ramp_s=2, clients=clients,
                          think_s=think_s, log_path=tmp_path / "server.log")
    log = (tmp_path / "server.log").read_text(encoding="utf-8", errors="replace")[-3000:]
    assert result["errors"] == 0, (result["error_samples"], log)
    assert result["sessions_with_a_tile"] == sessions
    assert result["page_loads"] >= sessions
    assert result["server_alive_at_end"]
    assert result["cold_start_first_paint_s"] > 0 and result["server_rss_mb"]["peak"] > 0
    if clients == "websocket":   # the whole run is timed too: it ends after its first tile
        assert result["complete_p95_s"] >= result["ready_p50_s"] > 0
    assert f"looking {think_s:g} s" in loadtest.render(result)


def test_first_visit_reaches_a_tile_for_both_visitors(demo_store, tmp_path):
    from fupin.tools import firstvisit

    result = firstvisit.run(demo_store.root, rounds=1, log_dir=tmp_path)
    assert len(result["rounds"]) == 1
    assert result["ready_median_s"] > 0 and result["floor_ready_median_s"] > 0
    assert result["first_visitor_median_s"] > 0 and result["second_visitor_median_s"] > 0
    assert result["floor_first_visitor_median_s"] > 0 and result["floor_second_visitor_median_s"] > 0
    assert (tmp_path / "firstvisit-floor-0.log").exists(), "the one-tile page ran in a server of its own"
    found = result["rounds"][0]
    for who in ("first_visitor", "second_visitor"):   # painted before (or as) the driver saw it, to clock error
        assert found[f"{who}_s"] <= found[f"{who}_seen_s"] + 0.05
    assert "/readyz" in firstvisit.render(result) and "first visitor" in firstvisit.render(result)
    assert "floor" in firstvisit.render(result)
