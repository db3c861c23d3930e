"""The benchmark command at a small size: it runs, and its JSON and Markdown carry the figures."""

import json

import pytest
from conftest import run_cli

from fupin.tools.bench import agreement
from fupin.tools.bench.measure import percentile


@pytest.mark.parametrize("values, pct, expected", [
    ([5.0], 95, 5.0),
    ([float(i) for i in range(1, 21)], 95, 19.0),
    ([float(i) for i in range(1, 21)], 50, 10.0),
    ([3.0, 1.0, 2.0], 100, 3.0),
])
def test_percentile_is_nearest_rank(values, pct, expected):
    assert percentile(values, pct) == expected


def test_agreement_names_the_differing_figures():
    engine = [{"records": 3, "amount_yuan": 10.0, "top_buyers": [["B1", 5.0, 1, 0]]}]
    assert agreement(engine, [{"records": 3, "amount_yuan": 10.0 + 1e-9, "top_buyers": [["B1", 5.0, 1, 0]]}]) == []
    assert agreement(engine, [{"records": 4, "amount_yuan": 10.0, "top_buyers": [["B2", 5.0, 1, 0]]}]) == [
        "filter 0: records", "filter 0: top_buyers"]


@pytest.mark.slow
def test_bench_command_at_a_small_size(tmp_path):
    out = tmp_path / "out.json"
    result = run_cli("bench", "--rows", "2e5", "--json", str(out), data=tmp_path, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    results = json.loads(out.read_text(encoding="utf-8"))
    assert {"machine", "sizes", "targets", "load_average"} <= results.keys()
    size = results["sizes"][0]
    assert size["purchase_rows"] > 100_000 and size["repetitions"] == 20
    assert len(size["load_average"]["before"]) == 3
    engine = size["duckdb"]
    assert engine["interaction_ms"]["n"] == 20 and engine["interaction_ms"]["p95"] >= engine["interaction_ms"]["p50"]
    for name in ("pandas", "polars"):
        baseline = size[name]
        assert engine["export"]["rows"] > 0 and engine["export"]["rows"] == baseline["export"]["rows"], name
        assert engine["rss_mb"]["peak"] > 0 and baseline["rss_mb"]["peak"] > 0, name
        assert baseline["cold_interaction_ms"] > baseline["read_ms"] > 0, name
        assert size["baseline_differs"][name] == [], name
    served = size["served_export"]   # the same CSV through the app's download route: every row, the RSS sampled
    assert served["rows"] == engine["export"]["rows"] and served["rss_peak_mb"] >= served["rss_idle_mb"] > 0
    report = (tmp_path / "bench" / "results.md").read_text(encoding="utf-8")
    assert "| purchase rows |" in report and "served by the app" in report
