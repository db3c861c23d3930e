"""The benchmark's targets (issue 12) and its Markdown report."""

BASELINES = ("pandas", "polars")
# Interaction p95 (ms) per size, and the peak RSS (MiB) where one is set.
# The app's download route: the server's peak RSS above idle while it streams the township-year CSV (MiB).
TARGETS = ({"rows": 1e7, "label": "10M", "p95_ms": 100},
           {"rows": 5e7, "label": "50M", "p95_ms": 150, "served_export_mb": 400},
           {"rows": 1e8, "label": "100M", "p95_ms": 300, "rss_mb": 1536})


def _nearest(sizes: list[dict], rows: float) -> dict | None:
    """The measured size within a factor 1.5 of `rows`, if any."""
    near = [s for s in sizes if rows / 1.5 <= s["purchase_rows"] <= rows * 1.5]
    return min(near, key=lambda s: abs(s["purchase_rows"] - rows), default=None)


def ratios(size: dict, baseline: str) -> dict | None:
    """The engine against a baseline measured in the same run (> 1 means the engine is better)."""
    if baseline not in size:
        return None
    duck, other = size["duckdb"], size[baseline]
    return {
        "cold_over_engine_p95": other["cold_interaction_ms"] / duck["interaction_ms"]["p95"],
        "p50_over_engine_p50": other["interaction_ms"]["p50"] / duck["interaction_ms"]["p50"],
        "p95_over_engine_p95": other["interaction_ms"]["p95"] / duck["interaction_ms"]["p95"],
        "cpu_p95_over_engine_cpu_p95": other["interaction_cpu_ms"]["p95"] / duck["interaction_cpu_ms"]["p95"],
        "rss_over_engine_rss": other["rss_mb"]["peak"] / duck["rss_mb"]["peak"],
    }


def verdicts(sizes: list[dict]) -> dict:
    """Where each target stands for the sizes measured: met or missed."""
    out = {}
    for target in TARGETS:
        size = _nearest(sizes, target["rows"])
        if size is None:
            continue
        p95 = size["duckdb"]["interaction_ms"]["p95"]
        out[f"{target['label']} p95 <= {target['p95_ms']} ms"] = {"value": p95, "met": p95 <= target["p95_ms"]}
        if "rss_mb" in target:
            rss = size["duckdb"]["rss_mb"]["peak"]
            out[f"{target['label']} peak RSS <= {target['rss_mb']} MB"] = {"value": rss, "met": rss <= target["rss_mb"]}
        if "served_export_mb" in target and "served_export" in size:
            above = size["served_export"]["rss_above_idle_mb"]
            out[f"{target['label']} served CSV: server RSS above idle <= {target['served_export_mb']} MB"] = {
                "value": above, "met": above <= target["served_export_mb"]}
    return out


def _ms(value: float) -> str:
    return f"{value:,.0f}"


def _load(size: dict) -> str:
    load = size["load_average"]
    return f"{' / '.join(str(x) for x in load['before'])} → {' / '.join(str(x) for x in load['after'])}"


def markdown(results: dict) -> str:
    """Tables of the engine, the baselines, their ratios and the targets, with the machine."""
    m = results["machine"]
    lines = [
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; {m['os']}; Python {m['python']}; "
        + ", ".join(f"{k} {v}" for k, v in m["packages"].items()) + f". Run {results['started']}.",
        "",
        "Engine (DuckDB over the Parquet snapshot and its summed tables): one interaction = views.overview + "
        "page_data.purchases + the first page of records for a new filter (result cache emptied before each, shared by "
        "the two pages as in the app); times in ms, wall clock unless marked CPU (all threads of the process). "
        "'load' is the machine's 1 / 5 / 15-minute load average before → after: other programs slow wall times.",
        "",
        "| purchase rows | snapshot MB | p50 | p95 | CPU p50 / p95 | overview p95 | purchases p95 "
        "| every query run p95 | repeated filter p50 | first in process | CSV export (rows, ms) | peak RSS MB "
        "| load |",
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
            f"| {d['export']['rows']:,}, {_ms(d['export']['ms'])} | {d['rss_mb']['peak']:,.0f} | {_load(s)} |")
    served = [s for s in results["sizes"] if "served_export" in s]
    if served:
        lines += ["", "The same CSV served by the app (`streamlit run app.py`, its download route asked for over HTTP and "
                  "read to the end): the server's RSS (process and children) once ready and idle, and at its peak.", "",
                  "| purchase rows | rows served | MB | seconds | first byte s | RSS idle MB | peak MB | above idle MB |",
                  "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for s in served:
            e = s["served_export"]
            lines.append(f"| {s['purchase_rows']:,} | {e['rows']:,} | {e['mb']:,.1f} | {e['seconds']:.1f} "
                         f"| {e['first_byte_s']:.2f} | {e['rss_idle_mb']:,.0f} | {e['rss_peak_mb']:,.0f} "
                         f"| {e['rss_above_idle_mb']:,.0f} |")
    compared = [(s, b) for b in BASELINES for s in results["sizes"] if b in s]
    if compared:
        lines += ["", "The same interaction in a pandas app and in a polars app (every table read into memory once, "
                  "masked and grouped per rerun), measured in the same run:", "",
                  "| baseline | purchase rows | read ms | cold (read + first) ms | p50 | p95 | CPU p50 / p95 "
                  "| CSV export ms | peak RSS MB | cold ÷ engine p95 | p50 ÷ engine p50 | p95 ÷ engine p95 "
                  "| CPU p95 ÷ engine CPU p95 | RSS ÷ engine RSS | figures agree |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
                  "| --- |"]
        for s, name in compared:
            b, r = s[name], ratios(s, name)
            differs = s["baseline_differs"][name]
            agree = "yes" if not differs else "NO: " + "; ".join(differs)
            lines.append(
                f"| {name} | {s['purchase_rows']:,} | {_ms(b['read_ms'])} | {_ms(b['cold_interaction_ms'])} "
                f"| {_ms(b['interaction_ms']['p50'])} | {_ms(b['interaction_ms']['p95'])} "
                f"| {_ms(b['interaction_cpu_ms']['p50'])} / {_ms(b['interaction_cpu_ms']['p95'])} "
                f"| {_ms(b['export']['ms'])} | {b['rss_mb']['peak']:,.0f} | {r['cold_over_engine_p95']:.1f}× "
                f"| {r['p50_over_engine_p50']:.2f}× | {r['p95_over_engine_p95']:.2f}× "
                f"| {r['cpu_p95_over_engine_cpu_p95']:.2f}× | {r['rss_over_engine_rss']:.1f}× | {agree} |")
    if results.get("targets"):
        lines += ["", "| target | measured | met |", "| --- | ---: | --- |"]
        for name, v in results["targets"].items():
            value = f"{v['value']:.1f} ms" if name.endswith(" ms") else f"{v['value']:,.0f} MB"
            lines.append(f"| {name} | {value} | {'yes' if v['met'] else 'no'} |")
    return "\n".join(lines) + "\n"
