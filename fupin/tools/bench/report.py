"""The benchmark's targets and its Markdown report."""

TARGET_10M = {"rows": 1e7, "p95_ms": 150, "faster_than_pandas_cold": 10, "rss_share_of_pandas": 1 / 5}
TARGET_50M = {"rows": 5e7, "p95_ms": 600}


def _nearest(sizes: list[dict], rows: float) -> dict | None:
    """The measured size within a factor 1.5 of `rows`, if any."""
    near = [s for s in sizes if rows / 1.5 <= s["purchase_rows"] <= rows * 1.5]
    return min(near, key=lambda s: abs(s["purchase_rows"] - rows), default=None)


def ratios(size: dict) -> dict | None:
    """The engine against the pandas app measured in the same run (> 1 means the engine is better)."""
    if "pandas" not in size:
        return None
    duck, pandas = size["duckdb"], size["pandas"]
    return {
        "pandas_cold_over_engine_p95": pandas["cold_interaction_ms"] / duck["interaction_ms"]["p95"],
        "pandas_warm_p95_over_engine_p95": pandas["interaction_ms"]["p95"] / duck["interaction_ms"]["p95"],
        "pandas_warm_p50_over_engine_p50": pandas["interaction_ms"]["p50"] / duck["interaction_ms"]["p50"],
        "pandas_warm_cpu_p95_over_engine_cpu_p95": (pandas["interaction_cpu_ms"]["p95"]
                                                    / duck["interaction_cpu_ms"]["p95"]),
        "pandas_rss_over_engine_rss": pandas["rss_mb"]["peak"] / duck["rss_mb"]["peak"],
    }


def verdicts(sizes: list[dict]) -> dict:
    """Where each target stands: met, missed, or not measured."""
    out = {}
    ten = _nearest(sizes, TARGET_10M["rows"])
    if ten:
        p95 = ten["duckdb"]["interaction_ms"]["p95"]
        out["10M p95 <= 150 ms"] = {"value": p95, "met": p95 <= TARGET_10M["p95_ms"]}
        r = ratios(ten)
        if r:
            out["10M >= 10x faster than pandas cold"] = {"value": r["pandas_cold_over_engine_p95"],
                                                        "met": r["pandas_cold_over_engine_p95"] >= 10}
            out["10M not slower than pandas warm (p95)"] = {"value": r["pandas_warm_p95_over_engine_p95"],
                                                           "met": r["pandas_warm_p95_over_engine_p95"] >= 1}
            out["10M peak RSS <= 1/5 of pandas"] = {"value": r["pandas_rss_over_engine_rss"],
                                                   "met": r["pandas_rss_over_engine_rss"] >= 5}
    fifty = _nearest(sizes, TARGET_50M["rows"])
    if fifty:
        p95 = fifty["duckdb"]["interaction_ms"]["p95"]
        out["50M p95 <= 600 ms"] = {"value": p95, "met": p95 <= TARGET_50M["p95_ms"]}
    return out


def _ms(value: float) -> str:
    return f"{value:,.0f}"


def markdown(results: dict) -> str:
    """Tables of the engine, the pandas app, their ratios and the targets, with the machine."""
    m = results["machine"]
    lines = [
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; {m['os']}; Python {m['python']}; "
        + ", ".join(f"{k} {v}" for k, v in m["packages"].items()) + f". Run {results['started']}.",
        "",
        "Engine (DuckDB over the Parquet snapshot): one interaction = views.overview + views.purchases(page 0) "
        "for a new filter (result cache emptied before each, shared by the two pages as in the app); times in ms, "
        "wall clock unless marked CPU (all threads of the process). 'load avg' is the machine's 1-minute load "
        "before → after: other programs slow wall times.",
        "",
        "| purchase rows | snapshot MB | p50 | p95 | CPU p50 / p95 | overview p95 | purchases p95 "
        "| every query run p95 | repeated filter p50 | first in process | CSV export (rows, ms) | peak RSS MB "
        "| load avg |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for s in results["sizes"]:
        d = s["duckdb"]
        lines.append(
            f"| {s['purchase_rows']:,} | {s['snapshot_mb']:,.0f} | {_ms(d['interaction_ms']['p50'])} "
            f"| {_ms(d['interaction_ms']['p95'])} "
            f"| {_ms(d['interaction_cpu_ms']['p50'])} / {_ms(d['interaction_cpu_ms']['p95'])} "
            f"| {_ms(d['overview_ms']['p95'])} "
            f"| {_ms(d['purchases_page_ms']['p95'])} | {_ms(d['uncached_interaction_ms']['p95'])} "
            f"| {d['cached_interaction_ms']['p50']:.1f} | {_ms(d['first_interaction_ms'])} "
            f"| {d['export']['rows']:,}, {_ms(d['export']['ms'])} | {d['rss_mb']['peak']:,.0f} "
            f"| {' → '.join(str(x) for x in s['load_average'])} |")
    compared = [s for s in results["sizes"] if "pandas" in s]
    if compared:
        lines += ["", "The same interaction in a pandas app (read_parquet of every table, mask and group in memory), "
                  "measured in the same run:", "",
                  "| purchase rows | read ms | cold (read + first) ms | warm p50 | warm p95 | warm CPU p50 / p95 "
                  "| CSV export ms | peak RSS MB | cold ÷ engine p95 | warm p95 ÷ engine p95 | warm CPU p95 ÷ engine "
                  "CPU p95 | RSS ÷ engine RSS | figures agree |",
                  "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
        for s in compared:
            p, r = s["pandas"], ratios(s)
            agree = "yes" if not s["baseline_differs"] else "NO: " + "; ".join(s["baseline_differs"])
            lines.append(
                f"| {s['purchase_rows']:,} | {_ms(p['read_ms'])} | {_ms(p['cold_interaction_ms'])} "
                f"| {_ms(p['interaction_ms']['p50'])} | {_ms(p['interaction_ms']['p95'])} "
                f"| {_ms(p['interaction_cpu_ms']['p50'])} / {_ms(p['interaction_cpu_ms']['p95'])} "
                f"| {_ms(p['export']['ms'])} | {p['rss_mb']['peak']:,.0f} | {r['pandas_cold_over_engine_p95']:.1f}× "
                f"| {r['pandas_warm_p95_over_engine_p95']:.2f}× | {r['pandas_warm_cpu_p95_over_engine_cpu_p95']:.2f}× "
                f"| {r['pandas_rss_over_engine_rss']:.1f}× | {agree} |")
    if results.get("targets"):
        lines += ["", "| target | measured | met |", "| --- | ---: | --- |"]
        for name, v in results["targets"].items():
            value = f"{v['value']:.1f} ms" if "ms" in name else f"{v['value']:.2f}×"
            lines.append(f"| {name} | {value} | {'yes' if v['met'] else 'no'} |")
    return "\n".join(lines) + "\n"
