"""The bundled demo snapshot: 垣曲县 2016-2020 calibrated to the county's 2018 report, and other counties 2018-2020
on their real codes, the regulator's three designated counties with its own channel (seed 001's 10356万元), and
every county's supply offers drawn from its purchases; the plan behind the figures: 铁西区's tasks (seed 002), the
designated counties' help funds, pairings and visits (seed 001), 商州区's industries and support items (seed 004)."""

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from ..store import reference
from ..store.schema import COUNTY_CODE, TABLES
from ..store.snapshot import Snapshot
from ..store.store import SnapshotStore
from . import assistance, plan
from .actors import build_buyers
from .channels import ChannelBook, demo_sites
from .cooperatives import build_cooperatives
from .county import County, build_county
from .county_purchases import county_chunks
from .geography import build_geography
from .industries import shangzhou_industries
from .inspections import build_inspections
from .offers import OfferBook, number_offers
from .purchases import YEARS, Market, purchase_chunks, to_arrow
from .targets import build_targets, full_year_outcomes
from .tiexi_tasks import TIEXI, build_tasks

DEMO_AS_OF = dt.date(2020, 12, 31)
FIRST_FIVE = (COUNTY_CODE, "621226", "230883", "230881", "611002")   # 垣曲, 礼县, 抚远, 同江, 商州
DEFAULT_COUNTIES = FIRST_FIVE + (TIEXI,)                            # and 铁西区, whose plan is seed 002
ANKANG = ("610902", "610921", "610922", "610923", "610924", "610925", "610926", "610927", "610928", "610929")
# 铁西区 last in both sets, so the purchase, inspection and offer ids of the counties before it are what they were.
COUNTY_SETS = {"default": DEFAULT_COUNTIES, "all": FIRST_FIVE + ANKANG + (TIEXI,)}
DESIGNATED_GROUP = "samr"   # the regulator's designated counties (reference groups)
# Shares of the progress bar: preparing the counties, then the purchase chunks; the rest is writing and checking.
PREPARED, PURCHASES_DONE = 0.1, 0.85
Progress = Callable[[float, str], None]


def _quiet(fraction: float, message: str) -> None:
    """A progress callback that reports nothing."""


def county_codes(counties: str | Iterable[str]) -> tuple[str, ...]:
    """The county codes of a `counties` argument: "default", "all" or codes of the reference counties."""
    if isinstance(counties, str):
        if counties not in COUNTY_SETS:
            raise ValueError(f"未知的演示县集合: {counties}（可选 {'、'.join(COUNTY_SETS)}）")
        return COUNTY_SETS[counties]
    codes = tuple(dict.fromkeys(counties))
    known = reference.counties()
    usable = set(known.loc[(known["first_year"] <= plan.YEARS[0]) & (known["last_year"] >= plan.YEARS[-1]),
                           "county_code"])
    unknown = [c for c in codes if c not in usable]
    if unknown or not codes:
        raise ValueError(f"没有这些县 2018-2020 年的参考数据: {'、'.join(unknown) or '（空）'}")
    return codes


@dataclass(frozen=True)
class Chunks:
    """One county's purchase chunks, as the stream writes them."""

    code: str
    name: str
    count: int
    chunks: Iterator[tuple[int, int, pd.DataFrame]]


def township_sums(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """A year's purchase amount, weight and poor-village amount per township."""
    sums = frame.assign(poor_village_amount_yuan=frame["amount_yuan"].where(frame["from_poor_village"], 0.0))
    by_township = sums.groupby("township_code")[["amount_yuan", "weight_kg", "poor_village_amount_yuan"]].sum()
    return by_township.rename(columns={"amount_yuan": "purchase_amount_yuan",
                                       "weight_kg": "purchase_weight_kg"}).assign(year=year)


def _purchase_stream(counties: list[Chunks], scale: int, actuals: dict[str, list[pd.DataFrame]],
                     books: dict[str, OfferBook], progress: Progress) -> Iterator[pa.Table]:
    """Arrow chunks of every county's purchases, numbered across the snapshot; the first replica's yearly sums
    per township go into `actuals` and every chunk into the county's offer book, by county."""
    total = sum(c.count for c in counties)
    next_id, done = 1, 0
    for county in counties:
        for year, replica, frame in county.chunks:
            if replica == 0:
                actuals[county.code].append(township_sums(frame, year))
            books[county.code].see(year, replica, frame)
            table = to_arrow(frame, next_id, TABLES["purchases"])
            next_id += table.num_rows
            done += 1
            progress(PREPARED + (PURCHASES_DONE - PREPARED) * done / total,
                     f"采购记录 {county.name} {year} 年 第 {replica + 1}/{scale} 份")
            yield table


def _numbered(frames: list[pd.DataFrame]) -> list[pd.DataFrame]:
    """Inspection frames with ids from 1 continuing across them (垣曲's, first, keep the ids they have)."""
    out, next_id = [], 1
    for frame in frames:
        out.append(frame.assign(inspection_id=np.arange(next_id, next_id + len(frame), dtype=np.int64)))
        next_id += len(frame)
    return out


def build_demo(store: SnapshotStore, scale: int = 1, seed: int = 42, progress: Progress = _quiet,
               only_if_empty: bool = False, counties: str | Iterable[str] = "default") -> Snapshot:
    """Generate the demo tables of the counties ("default", "all" or codes) and commit them as the store's
    current snapshot.

    With `only_if_empty`, a store that already holds any snapshot (perhaps written by another process while this
    one waited for the lock) is left as it is, even when CURRENT is missing or invalid: the snapshot it would
    serve is returned (SnapshotError if none verifies). Demo data never replaces real data.
    """
    codes = county_codes(counties)
    with store.lock(wait_seconds=600):
        if only_if_empty and store.has_snapshots():
            return store.serve().snapshot
        return _write_demo(store, scale, seed, progress, codes)


@dataclass(frozen=True)
class _Yuanqu:
    """垣曲县's calibrated world, drawn from one random stream in a fixed order (its targets come last)."""

    rng: np.random.Generator
    villages: pd.DataFrame
    buyers: pd.DataFrame
    cooperatives: pd.DataFrame
    inspections: pd.DataFrame
    market: Market


def _yuanqu(seed: int) -> _Yuanqu:
    rng = np.random.default_rng([seed, 0])
    geo = build_geography(rng)
    buyers = build_buyers(rng, sorted(geo.rural_2018["township_code"].unique()))
    cooperatives, walnut_partners = build_cooperatives(rng, geo)
    inspections = build_inspections(rng, geo, buyers)
    market = Market(rng, geo, buyers, cooperatives, walnut_partners)
    return _Yuanqu(rng, geo.villages, buyers, cooperatives, inspections, market)


def _other_counties(seed: int, codes: tuple[str, ...], progress: Progress) -> list[County]:
    """The worlds of the counties other than 垣曲, each from its own random stream."""
    groups = reference.groups(codes)
    designated = set(groups.loc[groups["group_code"] == DESIGNATED_GROUP, "county_code"])
    others = []
    for code in (c for c in codes if c != COUNTY_CODE):
        others.append(build_county(seed, code, code in designated))
        progress(PREPARED * len(others) / len(codes), f"准备 {others[-1].name}")
    return others


def _designated_yuan(seed: int, others: list[County]) -> dict[str, dict[int, float]]:
    """The regulator's buying per designated county and year (none when no designated county is in the demo)."""
    sizes = {c.code: len(c.geo.rural_2018) for c in others if c.designated}
    return plan.designated_amounts(np.random.default_rng([seed, plan.DESIGNATED_WAN]), sizes) if sizes else {}


def _targets(seed: int, yuanqu: _Yuanqu | None, others: list[County], actuals: dict[str, list[pd.DataFrame]],
             inspections: list[pd.DataFrame]) -> list[pd.DataFrame]:
    """Every county's targets from its full-year outcomes; `inspections` in the order of the counties."""
    targets = []
    if yuanqu:
        outcomes = full_year_outcomes(actuals[COUNTY_CODE], inspections[0], yuanqu.cooperatives, COUNTY_CODE, YEARS)
        targets.append(build_targets(yuanqu.rng, outcomes))
    for county, frame in zip(others, inspections[1 if yuanqu else 0:]):
        outcomes = full_year_outcomes(actuals[county.code], frame, county.cooperatives, county.code, plan.YEARS)
        targets.append(build_targets(np.random.default_rng([seed, int(county.code), 0]), outcomes, county.code))
    return targets


def lagging_townships(actuals: list[pd.DataFrame], targets: pd.DataFrame) -> set[tuple[int, str]]:
    """(year, township_code) whose full-year purchase amount fell short of its target."""
    amounts = pd.concat(actuals).reset_index().set_index(["year", "township_code"])["purchase_amount_yuan"]
    wanted = targets[targets["metric"] == "purchase_amount_yuan"].set_index(["year", "scope_code"])["target_value"]
    return {key for key, target in wanted.items() if key in amounts.index and amounts[key] < target}


def _offers(books: dict[str, OfferBook], actuals: dict[str, list[pd.DataFrame]],
            targets: list[pd.DataFrame]) -> list[pd.DataFrame]:
    """Every county's offers, numbered across the snapshot; `targets` in the order of the books."""
    return number_offers([book.offers(lagging_townships(actuals[code], frame))
                          for (code, book), frame in zip(books.items(), targets)])


@dataclass(frozen=True)
class _Plan:
    """The plan behind the figures of the counties in the demo: tasks, help funds, pairings, visits, industries."""

    tasks: list[pd.DataFrame]
    help_funds: list[pd.DataFrame]
    pairings: list[pd.DataFrame]
    visits: list[pd.DataFrame]
    industries: list[pd.DataFrame]


def _plan(seed: int, codes: tuple[str, ...], others: list[County]) -> _Plan:
    """Each register of the counties that have one in the seeds: 铁西区's tasks, the designated counties' funds,
    pairings and visits (when all three are in), 商州区's support items and industries."""
    by_code = {c.code: c for c in others}
    tasks = [build_tasks(seed)] if TIEXI in codes else []
    funds, pairings, visits, industries = [], [], [], []
    if all(code in by_code for code in assistance.SAMR_COUNTIES):
        townships = reference.townships(assistance.SAMR_COUNTIES)
        sizes = {code: len(by_code[code].geo.rural_2018) for code in assistance.SAMR_COUNTIES}
        funds.append(assistance.samr_funds(seed, townships, sizes))
        pairings.append(assistance.pairings(seed, townships))
        visits.append(assistance.visits(seed, pairings[0]))
    if assistance.SHANGZHOU in by_code:
        funds.append(assistance.shangzhou_funds(seed))
        industries.append(shangzhou_industries(seed, by_code[assistance.SHANGZHOU].geo))
    return _Plan(tasks, funds, pairings, visits, industries)


def _write_demo(store: SnapshotStore, scale: int, seed: int, progress: Progress, codes: tuple[str, ...]) -> Snapshot:
    progress(0.0, "准备参考数据")
    yuanqu = _yuanqu(seed) if COUNTY_CODE in codes else None
    others = _other_counties(seed, codes, progress)
    designated_yuan = _designated_yuan(seed, others)
    streams = [Chunks(c.code, c.name, len(plan.YEARS) * scale,
                      county_chunks(c, seed, scale, designated_yuan.get(c.code, {}))) for c in others]
    if yuanqu:
        streams.insert(0, Chunks(COUNTY_CODE, "垣曲县", len(YEARS) * scale, purchase_chunks(yuanqu.market, seed, scale)))
    actuals: dict[str, list[pd.DataFrame]] = {s.code: [] for s in streams}
    books = {s.code: OfferBook(seed, s.code) for s in streams}
    channels = ChannelBook(seed, demo_sites(yuanqu, others))   # certified products first: purchases are matched to them
    head = [yuanqu] if yuanqu else []
    source = {"kind": "demo", "scale": scale, "seed": seed, "counties": list(codes),
              "calibrated_to": "垣曲县市场监管局 2018-12-29 报道",
              "designated_yuan": round(sum(a for years in designated_yuan.values() for a in years.values()), 2)}
    with store.writer(DEMO_AS_OF, source) as writer:
        writer.write("purchases", channels.watch(_purchase_stream(streams, scale, actuals, books, progress)))
        progress(PURCHASES_DONE, "写入抽检、合作社与目标")
        inspections = _numbered([y.inspections for y in head] + [c.inspections for c in others])
        writer.write("inspections", inspections)
        writer.write("cooperatives", [y.cooperatives for y in head] + [c.cooperatives for c in others])
        targets = _targets(seed, yuanqu, others, actuals, inspections)
        writer.write("targets", targets)
        writer.write("offers", _offers(books, actuals, targets))
        plan_behind = _plan(seed, codes, others)
        for name in ("tasks", "help_funds", "pairings", "visits", "industries"):
            writer.write(name, getattr(plan_behind, name))
        writer.write("counties", reference.counties(codes))
        writer.write("groups", reference.groups(codes))
        writer.write("townships", reference.townships(codes))
        writer.write("villages", [y.villages for y in head] + [c.geo.villages for c in others])
        writer.write("buyers", [y.buyers for y in head] + [c.cast.buyers for c in others])
        writer.write("warning_rules", reference.warning_rules())
        for name, frame in channels.tables().items():
            writer.write(name, frame)
        progress(0.9, "汇总并校验快照")
        snapshot = writer.commit()
    progress(1.0, "演示快照已启用")
    return snapshot
