"""The baseline, run in a process of its own: the same pages the way a typical Streamlit app computes them.

Such an app reads every table with pandas.read_parquet (kept in st.cache_data), then masks and groups
in memory on each rerun. `python -m fupin.tools.bench.pandas_app PLAN.json` prints one JSON object on stdout.
"""

from pathlib import Path

import numpy as np
import pandas as pd

from ...query.filters import Filter
from ...store.schema import COUNTY_CODE, DERIVED_TABLES, TABLES
from .baseline import Baseline, main

TOP_BUYERS = 20
PAGE_ROWS = 50
DATE_COLUMNS = {"purchases": ["purchase_date"], "inspections": ["sample_date"],
                "cooperatives": ["registered_date", "deregistered_date"]}


def load(snapshot) -> dict[str, pd.DataFrame]:
    """Every table of the snapshot the app reads (not the engine's derived sums) in memory, dates as datetime64; a
    table without rows (no files: the registers of a county that keeps none) is left out."""
    tables = {}
    for name in (n for n in TABLES if n not in DERIVED_TABLES and n in snapshot.manifest["tables"]
                 and snapshot.files(n)):
        frame = pd.read_parquet(snapshot.table_path(name))
        for column in DATE_COLUMNS.get(name, []):
            frame[column] = pd.to_datetime(frame[column])
        tables[name] = frame
    return tables


def _purchases(t: dict, flt: Filter) -> pd.DataFrame:
    p = t["purchases"]
    mask = p["purchase_date"].between(pd.Timestamp(flt.date_from), pd.Timestamp(flt.date_to))
    for column, value in (("township_code", flt.township), ("village_code", flt.village),
                          ("buyer_type", flt.buyer_type), ("product_category", flt.product_category)):
        if value is not None:
            mask &= p[column] == value
    return p[mask]


def _with_flags(p: pd.DataFrame) -> pd.DataFrame:
    poor = p["from_poor_village"]
    poor_or_coop = poor | (p["supplier_type"] == "cooperative")
    return p.assign(poor_village_weight_kg=p["weight_kg"].where(poor, 0.0),
                    poor_village_amount_yuan=p["amount_yuan"].where(poor, 0.0),
                    poor_or_coop_weight_kg=p["weight_kg"].where(poor_or_coop, 0.0),
                    poor_or_coop_amount_yuan=p["amount_yuan"].where(poor_or_coop, 0.0))


SUMS = ["weight_kg", "amount_yuan", "poor_village_weight_kg", "poor_village_amount_yuan",
        "poor_or_coop_weight_kg", "poor_or_coop_amount_yuan"]


def totals(p: pd.DataFrame) -> dict:
    flagged = _with_flags(p)
    return {"records": len(p), "buyers": p["buyer_id"].nunique(), **flagged[SUMS].sum().to_dict()}


def monthly(p: pd.DataFrame) -> pd.DataFrame:
    flagged = _with_flags(p)
    month = flagged["purchase_date"].dt.to_period("M").dt.to_timestamp()
    return flagged.groupby(month)[["weight_kg", "amount_yuan", "poor_village_amount_yuan"]].sum().reset_index()


def by_township(t: dict, p: pd.DataFrame, flt: Filter) -> pd.DataFrame:
    sums = _with_flags(p).groupby("township_code")[["weight_kg", "amount_yuan", "poor_village_amount_yuan"]].sum()
    towns = t["townships"]
    year = flt.date_to.year
    shown = towns[towns["township_code"].isin(sums.index) | ((towns["first_year"] <= year) &
                                                             (towns["last_year"] >= year) & towns["lng"].notna())]
    out = shown[["township_code", "township_name"]].merge(sums.reset_index(), on="township_code", how="left")
    return out.fillna({"weight_kg": 0.0, "amount_yuan": 0.0, "poor_village_amount_yuan": 0.0})


def top_buyers(t: dict, p: pd.DataFrame, limit: int) -> pd.DataFrame:
    flagged = _with_flags(p)
    sums = flagged.groupby("buyer_id")[SUMS].sum()
    households = p[p["supplier_type"] == "poor_household"].groupby("buyer_id")["supplier_name"].nunique()
    coops = p[p["supplier_type"] == "cooperative"].groupby("buyer_id")["supplier_credit_code"].nunique()
    out = sums.assign(poor_households=households, cooperatives=coops).fillna(
        {"poor_households": 0, "cooperatives": 0}).reset_index()
    out = out.merge(t["buyers"][["buyer_id", "buyer_name", "buyer_type"]], on="buyer_id")
    return out.sort_values(["amount_yuan", "buyer_id"], ascending=[False, True]).head(limit)


def records(t: dict, p: pd.DataFrame, rows: int | None) -> pd.DataFrame:
    ordered = p.sort_values(["purchase_date", "purchase_id"], ascending=False)
    if rows is not None:
        ordered = ordered.head(rows)
    return (ordered.merge(t["buyers"][["buyer_id", "buyer_name"]], on="buyer_id", how="left")
            .merge(t["townships"][["township_code", "township_name"]], on="township_code", how="left")
            .merge(t["villages"][["village_code", "village_name"]], on="village_code", how="left"))


def _inspections(t: dict, flt: Filter) -> pd.DataFrame:
    i = t["inspections"]
    mask = i["sample_date"].between(pd.Timestamp(flt.date_from), pd.Timestamp(flt.date_to))
    if flt.township is not None:
        mask &= i["township_code"] == flt.township
    return i[mask]


def inspection_counts(i: pd.DataFrame, by: str | None = None):
    lab, fail = i["inspection_type"] == "lab", i["result"] == "fail"
    parts = pd.DataFrame({"lab_batches": lab, "lab_failed": lab & fail, "rapid_test_batches": ~lab,
                          "rapid_failed": ~lab & fail, "batches": True, "failed": fail})
    if by is None:
        return parts.sum().to_dict()
    return parts.groupby(i[by]).sum().reset_index()


def cooperative_counts(t: dict, flt: Filter, by: str | None = None):
    c = t["cooperatives"]
    if flt.township is not None:
        c = c[c["township_code"] == flt.township]
    if flt.village is not None:
        c = c[c["village_code"] == flt.village]
    start, end = pd.Timestamp(flt.date_from), pd.Timestamp(flt.date_to)
    alive = (c["registered_date"] <= end) & (c["deregistered_date"].isna() | (c["deregistered_date"] > end))
    parts = pd.DataFrame({"cooperatives_total": alive, "cooperatives_new": c["registered_date"].between(start, end),
                          "members": c["members"].where(alive, 0),
                          "poor_household_members": c["poor_household_members"].where(alive, 0)})
    if by is None:
        return parts.sum().to_dict()
    return parts.groupby(c[by]).sum().reset_index()


def overview(t: dict, flt: Filter) -> dict:
    """KPI tiles with last year's, the map's values with targets, the monthly trend with last year's."""
    last = flt.same_period_last_year()
    p, p_last = _purchases(t, flt), _purchases(t, last)
    head = {"now": totals(p), "last": totals(p_last),
            "inspections": (inspection_counts(_inspections(t, flt)), inspection_counts(_inspections(t, last))),
            "cooperatives": (cooperative_counts(t, flt), cooperative_counts(t, last))}
    targets = t["targets"][t["targets"]["year"] == flt.date_to.year]
    if (flt.date_from.month, flt.date_from.day) == (1, 1) and not flt.village:
        head["targets"] = targets[targets["scope_code"] == (flt.township or COUNTY_CODE)]
    whole = Filter(flt.date_from, flt.date_to, counties=flt.counties, buyer_type=flt.buyer_type,
                   product_category=flt.product_category)
    towns = by_township(t, _purchases(t, whole), whole)
    towns = towns.merge(inspection_counts(_inspections(t, whole), by="township_code"), on="township_code", how="left")
    towns = towns.merge(cooperative_counts(t, whole, by="township_code"), on="township_code", how="left")
    for metric in ("purchase_amount_yuan", "poor_village_amount_yuan", "new_cooperatives"):
        tg = targets[(targets["metric"] == metric) & (targets["scope_code"].str.len() == 9)]
        towns = towns.merge(tg[["scope_code", "target_value"]].rename(
            columns={"scope_code": "township_code", "target_value": f"target_{metric}"}), on="township_code", how="left")
    return {"headline": head, "townships": towns, "monthly": monthly(p), "monthly_last_year": monthly(p_last)}


def purchases_page(t: dict, flt: Filter) -> dict:
    """Breakdowns, leaderboard, trend and the first page of records."""
    p = _purchases(t, flt)
    flagged = _with_flags(p)
    return {
        "totals": totals(p),
        "by_channel": flagged.groupby("channel")[["weight_kg", "amount_yuan", "poor_village_amount_yuan"]].sum(),
        "by_buyer_type": flagged.groupby("buyer_type").agg(
            buyers=("buyer_id", "nunique"), weight_kg=("weight_kg", "sum"), amount_yuan=("amount_yuan", "sum"),
            poor_village_weight_kg=("poor_village_weight_kg", "sum"),
            poor_village_amount_yuan=("poor_village_amount_yuan", "sum")),
        "top_buyers": top_buyers(t, p, TOP_BUYERS),
        "by_product": p.groupby(["product_category", "product_name"])[["weight_kg", "amount_yuan"]].sum().assign(
            price_yuan_per_kg=lambda f: f["amount_yuan"] / f["weight_kg"].replace(0, np.nan)),
        "by_township": by_township(t, p, flt),
        "by_village": p.groupby(["village_code", "township_code"]).agg(
            records=("purchase_id", "size"), weight_kg=("weight_kg", "sum"), amount_yuan=("amount_yuan", "sum"))
            .reset_index().merge(t["villages"][["village_code", "village_name", "is_poor_village"]],
                                 on="village_code", how="left"),
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
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    return len(frame)


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
        "monthly_amount_yuan": {str(m.date()): float(a) for m, a in zip(month["purchase_date"], month["amount_yuan"])},
        "top_buyers": [[b, float(a), int(h), int(c)] for b, a, h, c in
                       zip(top["buyer_id"], top["amount_yuan"], top["poor_households"], top["cooperatives"])],
        "first_record_ids": [int(i) for i in records(t, p, 10)["purchase_id"]],
        "township_amount_yuan": {c: float(a) for c, a in zip(county["township_code"], county["amount_yuan"])
                                 if a > 0},
    }


BASELINE = Baseline(load, pages, export_csv, digest)

if __name__ == "__main__":
    main(BASELINE)
