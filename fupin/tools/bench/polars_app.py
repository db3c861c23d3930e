"""The second baseline, run in a process of its own: the same pages as pandas_app, the way a speed-minded Streamlit
author writes them with polars (every table read once and kept in memory, each page's figures computed per rerun
with expressions over it). `python -m fupin.tools.bench.polars_app PLAN.json` prints one JSON object on stdout.
"""

from pathlib import Path

import polars as pl

from ...query.filters import Filter
from ...store.schema import COUNTY_CODE, DERIVED_TABLES, TABLES
from .baseline import Baseline, main

TOP_BUYERS = 20
PAGE_ROWS = 50
POOR = pl.col("from_poor_village")
POOR_OR_COOP = POOR | (pl.col("supplier_type") == "cooperative")
SUMS = [pl.col("weight_kg").sum(), pl.col("amount_yuan").sum(),
        pl.col("weight_kg").filter(POOR).sum().alias("poor_village_weight_kg"),
        pl.col("amount_yuan").filter(POOR).sum().alias("poor_village_amount_yuan"),
        pl.col("weight_kg").filter(POOR_OR_COOP).sum().alias("poor_or_coop_weight_kg"),
        pl.col("amount_yuan").filter(POOR_OR_COOP).sum().alias("poor_or_coop_amount_yuan")]
MAP_SUMS = [pl.col("weight_kg").sum(), pl.col("amount_yuan").sum(),
            pl.col("amount_yuan").filter(POOR).sum().alias("poor_village_amount_yuan")]


def load(snapshot) -> dict[str, pl.DataFrame]:
    """Every table of the snapshot the app reads (not the engine's derived sums) in memory; a table without rows (no
    files: the registers of a county that keeps none) is left out."""
    return {name: pl.read_parquet(snapshot.table_path(name))
            for name in TABLES if name not in DERIVED_TABLES and name in snapshot.manifest["tables"]
            and snapshot.files(name)}


def _purchases(t: dict, flt: Filter) -> pl.DataFrame:
    cond = pl.col("purchase_date").is_between(flt.date_from, flt.date_to)
    for column, value in (("township_code", flt.township), ("village_code", flt.village),
                          ("buyer_type", flt.buyer_type), ("product_category", flt.product_category)):
        if value is not None:
            cond &= pl.col(column) == value
    return t["purchases"].filter(cond)


def totals(p: pl.DataFrame) -> dict:
    return p.select(pl.len().alias("records"), pl.col("buyer_id").n_unique().alias("buyers"), *SUMS).row(0, named=True)


def monthly(p: pl.DataFrame) -> pl.DataFrame:
    return (p.group_by(pl.col("purchase_date").dt.truncate("1mo").alias("month"))
            .agg(MAP_SUMS).sort("month"))


def by_township(t: dict, p: pl.DataFrame, flt: Filter) -> pl.DataFrame:
    sums = p.group_by("township_code").agg(MAP_SUMS)
    year = flt.date_to.year
    towns = t["townships"].filter(pl.col("township_code").is_in(sums["township_code"].implode())
                                  | ((pl.col("first_year") <= year) & (pl.col("last_year") >= year)
                                     & pl.col("lng").is_not_null()))
    return (towns.select("township_code", "township_name").join(sums, on="township_code", how="left")
            .fill_null(0.0))


def top_buyers(t: dict, p: pl.DataFrame, limit: int) -> pl.DataFrame:
    out = p.group_by("buyer_id").agg(
        *SUMS,
        pl.col("supplier_name").filter(pl.col("supplier_type") == "poor_household").n_unique().alias("poor_households"),
        pl.col("supplier_credit_code").filter(pl.col("supplier_type") == "cooperative").n_unique()
        .alias("cooperatives"))
    out = out.join(t["buyers"].select("buyer_id", "buyer_name", "buyer_type"), on="buyer_id")
    return out.sort(["amount_yuan", "buyer_id"], descending=[True, False]).head(limit)


def records(t: dict, p: pl.DataFrame, rows: int | None) -> pl.DataFrame:
    ordered = p.sort(["purchase_date", "purchase_id"], descending=True)
    if rows is not None:
        ordered = ordered.head(rows)
    return (ordered.join(t["buyers"].select("buyer_id", "buyer_name"), on="buyer_id", how="left",
                         maintain_order="left")
            .join(t["townships"].select("township_code", "township_name"), on="township_code", how="left",
                  maintain_order="left")
            .join(t["villages"].select("village_code", "village_name"), on="village_code", how="left",
                  maintain_order="left"))


def _inspections(t: dict, flt: Filter) -> pl.DataFrame:
    cond = pl.col("sample_date").is_between(flt.date_from, flt.date_to)
    if flt.township is not None:
        cond &= pl.col("township_code") == flt.township
    return t["inspections"].filter(cond)


INSPECTION_COUNTS = [
    (pl.col("inspection_type") == "lab").sum().alias("lab_batches"),
    ((pl.col("inspection_type") == "lab") & (pl.col("result") == "fail")).sum().alias("lab_failed"),
    (pl.col("inspection_type") != "lab").sum().alias("rapid_test_batches"),
    ((pl.col("inspection_type") != "lab") & (pl.col("result") == "fail")).sum().alias("rapid_failed"),
    pl.len().alias("batches"), (pl.col("result") == "fail").sum().alias("failed")]


def inspection_counts(i: pl.DataFrame, by: str | None = None):
    return i.select(INSPECTION_COUNTS).row(0, named=True) if by is None else i.group_by(by).agg(INSPECTION_COUNTS)


def cooperative_counts(t: dict, flt: Filter, by: str | None = None):
    c = t["cooperatives"]
    if flt.township is not None:
        c = c.filter(pl.col("township_code") == flt.township)
    if flt.village is not None:
        c = c.filter(pl.col("village_code") == flt.village)
    alive = (pl.col("registered_date") <= flt.date_to) & (
        pl.col("deregistered_date").is_null() | (pl.col("deregistered_date") > flt.date_to))
    counts = [alive.sum().alias("cooperatives_total"),
              pl.col("registered_date").is_between(flt.date_from, flt.date_to).sum().alias("cooperatives_new"),
              pl.col("members").filter(alive).sum(), pl.col("poor_household_members").filter(alive).sum()]
    return c.select(counts).row(0, named=True) if by is None else c.group_by(by).agg(counts)


def overview(t: dict, flt: Filter) -> dict:
    """KPI tiles with last year's, the map's values with targets, the monthly trend with last year's."""
    last = flt.same_period_last_year()
    p, p_last = _purchases(t, flt), _purchases(t, last)
    head = {"now": totals(p), "last": totals(p_last),
            "inspections": (inspection_counts(_inspections(t, flt)), inspection_counts(_inspections(t, last))),
            "cooperatives": (cooperative_counts(t, flt), cooperative_counts(t, last))}
    targets = t["targets"].filter(pl.col("year") == flt.date_to.year)
    if (flt.date_from.month, flt.date_from.day) == (1, 1) and not flt.village:
        head["targets"] = targets.filter(pl.col("scope_code") == (flt.township or COUNTY_CODE))
    whole = Filter(flt.date_from, flt.date_to, counties=flt.counties, buyer_type=flt.buyer_type,
                   product_category=flt.product_category)
    towns = by_township(t, _purchases(t, whole), whole)
    towns = towns.join(inspection_counts(_inspections(t, whole), by="township_code"), on="township_code", how="left")
    towns = towns.join(cooperative_counts(t, whole, by="township_code"), on="township_code", how="left")
    town_targets = (targets.filter(pl.col("scope_code").str.len_chars() == 9)
                    .pivot("metric", index="scope_code", values="target_value")
                    .rename({"scope_code": "township_code"}))
    towns = towns.join(town_targets, on="township_code", how="left")
    return {"headline": head, "townships": towns, "monthly": monthly(p), "monthly_last_year": monthly(p_last)}


def purchases_page(t: dict, flt: Filter) -> dict:
    """Breakdowns, leaderboard, trend and the first page of records."""
    p = _purchases(t, flt)
    return {
        "totals": totals(p),
        "by_channel": p.group_by("channel").agg(MAP_SUMS),
        "by_buyer_type": p.group_by("buyer_type").agg(pl.col("buyer_id").n_unique().alias("buyers"), *SUMS[:4]),
        "top_buyers": top_buyers(t, p, TOP_BUYERS),
        "by_product": p.group_by("product_category", "product_name").agg(
            pl.col("weight_kg").sum(), pl.col("amount_yuan").sum()).with_columns(
            (pl.col("amount_yuan") / pl.when(pl.col("weight_kg") != 0).then(pl.col("weight_kg")))
            .alias("price_yuan_per_kg")),
        "by_township": by_township(t, p, flt),
        "by_village": p.group_by("village_code", "township_code").agg(
            pl.len().alias("records"), pl.col("weight_kg").sum(), pl.col("amount_yuan").sum())
            .join(t["villages"].select("village_code", "village_name", "is_poor_village"), on="village_code",
                  how="left"),
        "monthly": monthly(p),
        "monthly_last_year": monthly(_purchases(t, flt.same_period_last_year())),
        "records": records(t, p, PAGE_ROWS),
    }


def pages(t: dict, flt: Filter) -> None:
    """Both pages' data of one filter."""
    overview(t, flt)
    purchases_page(t, flt)


def export_csv(t: dict, flt: Filter, path: Path) -> int:
    """All records of a filter into a CSV file; the rows written."""
    frame = records(t, _purchases(t, flt), None)
    frame.write_csv(path, include_bom=True)
    return frame.height


def digest(t: dict, flt: Filter) -> dict:
    """The same figures as duck.digest, computed here."""
    p = _purchases(t, flt)
    tot = totals(p)
    month = monthly(p)
    top = top_buyers(t, p, 5)
    whole = Filter(flt.date_from, flt.date_to, counties=flt.counties, buyer_type=flt.buyer_type,
                   product_category=flt.product_category)
    county = by_township(t, _purchases(t, whole), whole)
    return {
        "records": int(tot["records"]),
        "buyers": int(tot["buyers"]),
        "amount_yuan": float(tot["amount_yuan"]),
        "poor_village_amount_yuan": float(tot["poor_village_amount_yuan"]),
        "monthly_amount_yuan": {str(m): float(a) for m, a in zip(month["month"], month["amount_yuan"])},
        "top_buyers": [[b, float(a), int(h), int(c)] for b, a, h, c in
                       top.select("buyer_id", "amount_yuan", "poor_households", "cooperatives").iter_rows()],
        "first_record_ids": [int(i) for i in records(t, p, 10)["purchase_id"]],
        "township_amount_yuan": {c: float(a) for c, a in county.select("township_code", "amount_yuan").iter_rows()
                                 if a > 0},
    }


BASELINE = Baseline(load, pages, export_csv, digest)

if __name__ == "__main__":
    main(BASELINE)
