"""The demo's certified products, 三专 outlets, sales-ledger rows and sales events: 安康市's ten counties calibrated to
seed 003 (the article of 2020-11-13), every other county smaller registers of the same kind (垣曲县's counters in the
supermarkets of seed 000, the designated counties' zones of seed 001).

Seed 003's figures, as `python -m fupin brief --scope 610900 --as-of 2020-11-13` reads them back: 810 products of 264
suppliers certified on 2020-09-30 (and still on 2020-11-13), worth 65亿元; sales made in 2020 to the article's day
3.6亿元 (the sales ledger and the purchases of certified products together) and signed 3.8亿元; 111 counters, smart
counters with 4 companies at intent, 5 signed for 96 units of which 16 landed, 14 zones (3 online), 19 halls (5
online); 586万元 through the 三专 from 1 to 8 October; 14 events of 10 kinds in the month from 2020-09-07, 1.04亿元
signed at the launch. Everything is drawn from its own random streams: the other tables are unchanged.
"""

import datetime as dt
from collections.abc import Iterable, Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..store import reference
from ..store.channels import SEVEN_CHECKS
from . import channel_sales as sales
from .channel_registers import (
    BATCHES,
    LATE_BATCH,
    YUANQU_PRODUCTS,
    Site,
    counters,
    day_between,
    event,
    outlet,
    point,
    products,
    region_products,
    site,
    suppliers,
)
from .county import County
from .purchases import scale_to

YUANQU = "140827"
STREAM = 0x2403                      # these registers' own random streams, apart from every other table's
CITY = "610900"                      # 安康市
ARTICLE_DAY = dt.date(2020, 11, 13)
WINDOW = (dt.date(2020, 1, 1), ARTICLE_DAY)
NATIONAL_DAY = (dt.date(2020, 10, 1), dt.date(2020, 10, 8))
SALES_FROM, SALES_TO = dt.date(2019, 7, 1), dt.date(2020, 12, 31)
# Seed 003's figures.
PRODUCTS, SUPPLIERS, PRODUCT_VALUE_YUAN = 810, 264, 65.02e8
SALES_YUAN, SIGNED_YUAN = 3.6e8, 3.8e8
COUNTERS, ZONES, HALLS = 111, (3, 11), (5, 14)          # (online, offline)
NATIONAL_DAY_OUTLET_YUAN = 586e4
LAUNCH_SIGNED_YUAN, LAUNCH_PARTICIPANTS = 1.04e8, 1060
# Not in the seed: the 三专's sales made from January to the article's day, and who runs the smart counters.
OUTLET_WINDOW_YUAN = 0.92e8
SMART_SIGNED = (("陕西秦巴智柜科技有限公司", 24), ("安康硒谷智慧零售有限公司", 20), ("西安云购物联科技有限公司", 16),
                ("陕西惠农智能零售有限公司", 12), ("安康智联商贸有限公司", 8))      # signed, besides those landed
SMART_LANDED = (8, 5, 3)            # units landed by the first three signed companies
SMART_INTENT = ("陕西汇购智能科技有限公司", "西安丰柜网络科技有限公司", "陕西云柜科技有限公司", "安康优选智能设备有限公司")
CITY_OPERATOR = "安康市消费扶贫运营中心"   # runs the city's halls, which sell every county's products
VALUE_PER_WEIGHT = 3e6              # a product's value (元) per unit of its drawn weight, outside the calibration
COOP_SHARE = 0.35                   # of a county's certified suppliers, cooperatives of its register
PER_SUPPLIER = (1, 8)               # products a supplier gets certified
EXPIRING, EXPIRED, REVOKED, LATE = 16, 9, 6, 24   # products beside the 810 (expiring: of them)
IDLE_COUNTERS = 7                   # counters that stopped selling in September
# Each event's sales made by 60 days after it against what it signed.
MADE_SHARE = {"E01": 0.62, "E02": 0.35, "E03": 0.8, "E04": 0.45, "E05": 0.9, "E06": 0.72, "E07": 1.05, "E09": 0.66,
              "E10": 0.58, "E11": 0.83, "E12": 0.7, "E13": 0.64, "E14": 0.42}
EVENT_DUE_DAYS = 60


def demo_sites(yuanqu, others: list[County]) -> list[Site]:
    """The sites of the demo's counties, in its order: 垣曲 (its calibrated world: cooperatives, buyers, villages)
    when given, then the others."""
    found = []
    if yuanqu is not None:
        found.append(site(YUANQU, "垣曲县", yuanqu.cooperatives, yuanqu.buyers, len(yuanqu.villages), False,
                          YUANQU_PRODUCTS))
    for county in others:
        province = reference.counties((county.code,))["province_code"].iloc[0]
        found.append(site(county.code, county.name, county.cooperatives, county.cast.buyers,
                          len(county.geo.rural_2018), county.designated, region_products(county.code, province)))
    return found


def _counts(rng: np.random.Generator, n: int, total: int, low: int = PER_SUPPLIER[0],
            high: int = PER_SUPPLIER[1]) -> np.ndarray:
    """`n` whole counts from low to high adding up to `total`, uneven as suppliers are."""
    counts = np.clip(np.round(rng.lognormal(0.0, 0.6, size=n) * total / n), low, high).astype(int)
    while counts.sum() != total:
        step = 1 if counts.sum() < total else -1
        room = np.flatnonzero(counts + step <= high) if step > 0 else np.flatnonzero(counts + step >= low)
        counts[room[rng.integers(len(room))]] += step
    return counts


def _shares(weights: np.ndarray, total: int) -> np.ndarray:
    """`total` split in proportion to `weights`, largest remainders first."""
    raw = weights / weights.sum() * total
    counts = np.floor(raw).astype(int)
    counts[np.argsort(-(raw - counts), kind="stable")[:total - counts.sum()]] += 1
    return counts


class ChannelBook:
    """Every county's registers: the certified products first (purchases are matched against them as they stream
    into the snapshot), then outlets, events and the sales ledger, calibrated once the purchases are known."""

    def __init__(self, seed: int, sites: list[Site]):
        self.seed = seed
        self.sites = sites
        city = reference.counties()
        self.city = tuple(city.loc[(city["city_code"] == CITY) & (city["first_year"] <= 2020) & (city["last_year"] >= 2020),
                                   "county_code"])
        self.calibrated = bool(self.city) and set(self.city) <= {s.code for s in sites}
        self.products = self._products()
        self.matched: list[pd.DataFrame] = []

    def _rng(self, code: str, part: int = 0) -> np.random.Generator:
        """A county's (or the city's) own random stream for one part of its registers."""
        return np.random.default_rng([self.seed, STREAM, int(code), part])

    def _products(self) -> pd.DataFrame:
        """Every county's certified products with ids (FP + county code + number), in county order."""
        frames = []
        plan = self._city_plan() if self.calibrated else {}
        for s in self.sites:
            rng = self._rng(s.code)
            taken: set[str] = set()
            if s.code in plan:
                count, total = plan[s.code]
                firms = suppliers(rng, s, count, COOP_SHARE, taken)
                made = _counts(rng, len(firms), total)
            else:
                firms = suppliers(rng, s, 6 + s.size // 40, COOP_SHARE, taken)
                made = _counts(rng, len(firms), 2 * len(firms), high=4)
            frame = products(rng, s, firms, made, BATCHES)
            frames.append(frame.assign(county_code=s.code, counted=True))
        found = pd.concat(frames, ignore_index=True)
        found["value"] = np.round(found["weight"] * VALUE_PER_WEIGHT, 2)
        if self.calibrated:
            found = self._calibrate_products(found)
        found = self._expiring(found)
        found["product_id"] = [f"FP{c}{n:04d}" for c, n in zip(found["county_code"],
                                                               found.groupby("county_code").cumcount() + 1)]
        return found

    def _city_plan(self) -> dict[str, tuple[int, int]]:
        """Suppliers and products of each of 安康's counties: 264 and 810 in all, by size."""
        ankang = [s for s in self.sites if s.code in self.city]
        sizes = np.array([s.size for s in ankang], dtype=float)
        firms = _shares(sizes, SUPPLIERS)
        made = firms + _shares(firms.astype(float), PRODUCTS - SUPPLIERS)
        return {s.code: (int(f), int(m)) for s, f, m in zip(ankang, firms, made)}

    def _calibrate_products(self, found: pd.DataFrame) -> pd.DataFrame:
        """The 810 counted products' value to 65亿元, and beside them products revoked, expired before 2020-09-30 and
        certified after the article, none of which count then."""
        rng = self._rng(CITY, 1)
        ankang = found["county_code"].isin(self.city).to_numpy()
        value = found["value"].to_numpy(copy=True)
        value[ankang] = scale_to(found.loc[ankang, "weight"].to_numpy(), PRODUCT_VALUE_YUAN, 2)
        found = found.assign(value=value)
        base = found[ankang].reset_index(drop=True)
        extras = []
        for status, count in (("revoked", REVOKED), ("expired", EXPIRED), ("late", LATE)):
            rows = base.iloc[rng.choice(len(base), size=count, replace=False)].copy()
            rows["product_name"] = rows["product_name"] + {"revoked": "（原料级）", "expired": "（2019款）",
                                                           "late": "（新品）"}[status]
            if status == "late":
                rows["certified_date"] = LATE_BATCH
                rows["valid_until"] = LATE_BATCH.replace(year=LATE_BATCH.year + 3) - dt.timedelta(days=1)
            elif status == "expired":
                rows["certified_date"] = BATCHES[0]
                rows["valid_until"] = [day_between(rng, dt.date(2020, 4, 1), dt.date(2020, 8, 31)) for _ in range(count)]
                rows["status"] = "expired"
            else:
                rows["status"] = "revoked"
                rows["checks_passed"] = "、".join(SEVEN_CHECKS[:-1])   # 带贫 was not shown
            extras.append(rows.assign(counted=False, featured=False))
        return pd.concat([found, *extras], ignore_index=True)

    def _expiring(self, found: pd.DataFrame) -> pd.DataFrame:
        """Some certificates of 2019 end within 60 days of the article's day (安康's) or of the demo's end date (two
        of every other county's)."""
        groups = [(CITY, self.city, EXPIRING, dt.date(2020, 11, 20), dt.date(2021, 1, 10))] if self.calibrated else []
        groups += [(s.code, (s.code,), 2, dt.date(2021, 1, 5), dt.date(2021, 2, 25)) for s in self.sites
                   if not (self.calibrated and s.code in self.city)]
        found = found.copy()
        for stream, codes, count, first, last in groups:
            rng = self._rng(stream, 2)
            pool = found.index[found["counted"] & (found["certified_date"] < dt.date(2020, 1, 1))
                               & found["county_code"].isin(codes)]
            for i in rng.choice(pool, size=min(count, len(pool)), replace=False):
                found.at[i, "valid_until"] = day_between(rng, first, last)
        return found

    def watch(self, stream: Iterable[pa.Table]) -> Iterator[pa.Table]:
        """Pass the purchases through, keeping those of a certified product's supplier and name on a day it was
        certified (the rule of queries/base/certified_purchases.sql)."""
        codes = pa.array(sorted(set(self.products["supplier_credit_code"])))
        keys = self.products[self.products["status"] != "revoked"][
            ["product_id", "supplier_credit_code", "product_name", "certified_date", "valid_until", "county_code"]]
        for table in stream:
            hits = table.filter(pc.is_in(table["supplier_credit_code"], value_set=codes))
            if hits.num_rows:
                found = hits.select(["purchase_id", "purchase_date", "township_code", "supplier_credit_code",
                                     "product_name", "amount_yuan"]).to_pandas()
                found["purchase_date"] = pd.to_datetime(found["purchase_date"]).dt.date
                both = found.merge(keys, on=["supplier_credit_code", "product_name"])
                both = both[(both["certified_date"] <= both["purchase_date"])
                            & (both["valid_until"].isna() | (both["valid_until"] >= both["purchase_date"]))]
                both = both.sort_values(["certified_date", "product_id"], ascending=[False, True])
                self.matched.append(both.drop_duplicates("purchase_id"))
            yield table

    def _matched_yuan(self, first: dt.date, last: dt.date) -> float:
        """What the purchases of 安康's certified products made from first to last."""
        if not self.matched:
            return 0.0
        found = pd.concat(self.matched)
        inside = (found["purchase_date"] >= first) & (found["purchase_date"] <= last) \
            & found["county_code"].isin(self.city) & found["township_code"].str[:6].isin(self.city)
        return float(found.loc[inside, "amount_yuan"].sum())

    def tables(self) -> dict[str, pd.DataFrame]:
        """The four tables, once the purchases have streamed by."""
        outlets, events, sold = [], [], []
        for s in self.sites:
            if self.calibrated and s.code in self.city:
                continue
            rng = self._rng(s.code, 3)
            mine = self.products[(self.products["county_code"] == s.code) & self.products["counted"]]
            o, e = _county_outlets(rng, s), _county_events(rng, s)
            outlets += o
            events += e
            sold.append(_county_sales(rng, pd.DataFrame(o), pd.DataFrame(e), mine))
        if self.calibrated:
            o, e, rows = self._city()
            outlets += o
            events += e
            sold.append(rows)
        channel_sales = pd.concat(sold, ignore_index=True).sort_values(["sale_date", "product_id"], kind="stable")
        certified = self.products.drop(columns=["weight", "featured", "supplier", "counted"]).rename(
            columns={"value": "product_value_yuan"})
        return {"certified_products": certified, "outlets": pd.DataFrame(outlets), "events": pd.DataFrame(events),
                "channel_sales": channel_sales.assign(sale_id=np.arange(1, len(channel_sales) + 1, dtype=np.int64))}

    def _city(self) -> tuple[list[dict], list[dict], pd.DataFrame]:
        """安康's outlets, events and sales, to seed 003's figures."""
        rng = self._rng(CITY, 3)
        sites = {s.code: s for s in self.sites if s.code in self.city}
        outlets = pd.DataFrame(_city_outlets(rng, sites))
        events = pd.DataFrame(_city_events(sites))
        counted = self.products[self.products["county_code"].isin(self.city) & self.products["counted"]]
        mine = {code: part.reset_index(drop=True) for code, part in counted.groupby("county_code")}
        everywhere = counted.reset_index(drop=True)
        city_wide = set(outlets.loc[outlets["online"] | (outlets["operator"] == CITY_OPERATOR), "outlet_id"])
        sold_at = {o.outlet_id: everywhere if o.outlet_id in city_wide else mine[o.township_code[:6]]
                   for o in outlets.itertuples(index=False)}
        idle = outlets[(outlets["kind"] == "counter") & ~outlets["smart"] & (outlets["stage"] == "built")
                       & (outlets["opened_date"] < dt.date(2020, 8, 1))]
        stops = {i: day_between(rng, dt.date(2020, 8, 10), dt.date(2020, 9, 20))
                 for i in rng.choice(idle["outlet_id"].to_numpy(), size=IDLE_COUNTERS, replace=False)}
        through = sales.outlet_rows(rng, outlets, sold_at, SALES_TO, NATIONAL_DAY, stops)
        holiday = sales.in_dates(through, *NATIONAL_DAY)
        window = sales.in_dates(through, *WINDOW) & ~holiday
        through = sales.scaled(through, holiday, NATIONAL_DAY_OUTLET_YUAN, rest=holiday & False)
        through = sales.scaled(through, window, OUTLET_WINDOW_YUAN - NATIONAL_DAY_OUTLET_YUAN, rest=~(holiday | window))
        at_events = sales.event_rows(rng, events, {e.event_id: everywhere if e.township_code[:6] == "610902"
                                                   else mine[e.township_code[:6]] for e in events.itertuples()},
                                     MADE_SHARE, EVENT_DUE_DAYS)
        made_at_events = at_events[(at_events["sale_type"] == "actual") & sales.in_dates(at_events, *WINDOW)]
        others = sales.other_rows(rng, everywhere, SALES_FROM, SALES_TO)
        remainder = SALES_YUAN - self._matched_yuan(*WINDOW) - OUTLET_WINDOW_YUAN - made_at_events["amount_yuan"].sum()
        others = sales.scaled(others, sales.in_dates(others, *WINDOW), round(remainder, 2))
        contracts = sales.signed_rows(rng, everywhere, SALES_FROM, SALES_TO, 60)
        signed_at_events = events["signed_amount_yuan"].fillna(0).sum()
        contracts = sales.scaled(contracts, sales.in_dates(contracts, *WINDOW), SIGNED_YUAN - signed_at_events)
        return (outlets.to_dict("records"), events.to_dict("records"),
                pd.concat([through, at_events, others, contracts], ignore_index=True))


def _city_outlets(rng: np.random.Generator, sites: dict[str, Site]) -> list[dict]:
    """安康's "1+10+X" 三专: 111 counters, smart counters at intent, signed and landed, 14 zones and 19 halls
    (安康扶贫空间, ten county halls, three halls of departments, five online), and some closed counters."""
    codes = sorted(sites)
    city_seat = sites["610902"]
    rows = []
    for s, count in zip((sites[c] for c in codes), _shares(np.array([sites[c].size for c in codes], float), COUNTERS)):
        rows += counters(rng, s, int(count), dt.date(2019, 8, 1), dt.date(2020, 10, 31))
    for n, s in enumerate(sites[c] for c in codes[:4]):   # closed before the article
        opened = day_between(rng, dt.date(2019, 8, 1), dt.date(2019, 12, 31))
        rows.append(outlet(f"{s.code}-GUI-X{n + 1}", f"{s.name}老城区便民超市消费扶贫专柜", "counter", township=s.seat,
                           stage="closed", stage_date=day_between(rng, dt.date(2020, 5, 1), dt.date(2020, 8, 31)),
                           operator=f"{s.name}供销合作社", host=f"{s.name}老城区便民超市", opened=opened, units=1))
    landed = iter(SMART_LANDED)
    for n, (company, units) in enumerate(SMART_SIGNED):
        s = sites[codes[(3 * n) % len(codes)]]
        rows.append(outlet(f"{CITY}-ZNG-{n + 1:02d}", f"{company}智能专柜（{s.name}，已签约未落地）", "counter",
                           township=s.seat, stage="signed", smart=True, operator=company, units=units,
                           stage_date=day_between(rng, dt.date(2020, 6, 1), dt.date(2020, 9, 30))))
        for k in range(next(landed, 0)):
            s = sites[codes[int(rng.integers(len(codes)))]]
            host = ("{c}人民医院", "{c}第一中学", "{c}人民政府", "{c}汽车客运站")[k % 4].format(c=s.name)
            day = day_between(rng, dt.date(2020, 7, 15), dt.date(2020, 10, 31))
            rows.append(outlet(f"{CITY}-ZNG-{n + 1:02d}-{k + 1:02d}", f"{host}智能专柜", "counter", township=s.seat,
                               stage="landed", stage_date=day, smart=True, operator=company, host=host, opened=day,
                               units=1, at=point(rng, s, s.seat)))
    for n, company in enumerate(SMART_INTENT):
        s = sites[codes[(2 * n + 1) % len(codes)]]
        rows.append(outlet(f"{CITY}-ZNY-{n + 1:02d}", f"{company}智能专柜（{s.name}，意向）", "counter", township=s.seat,
                           stage="intent", smart=True, operator=company, units=int(rng.integers(10, 31)),
                           stage_date=day_between(rng, dt.date(2020, 8, 1), dt.date(2020, 10, 31))))
    online_zones = ("中国社会扶贫网安康专区", "832消费扶贫平台安康专区", "建行善融商务安康扶贫专区")
    for n, name in enumerate(online_zones):
        day = dt.date(2020, 9, 27) if name.startswith("建行") else day_between(rng, dt.date(2019, 9, 1), dt.date(2020, 3, 31))
        rows.append(outlet(f"{CITY}-QU-{n + 1:02d}", name, "zone", township=city_seat.seat, stage="built",
                           stage_date=day, online=True, operator="安康市扶贫开发局", host=name[:-2], opened=day))
    for n in range(ZONES[1]):
        s = sites[codes[n % len(codes)]]
        host = s.supermarkets[n // len(codes) % len(s.supermarkets)]
        day = day_between(rng, dt.date(2019, 9, 1), dt.date(2020, 9, 30))
        rows.append(outlet(f"{s.code}-QU-{n // len(codes) + 1:02d}", f"{host}消费扶贫专区", "zone", township=s.seat,
                           stage="built", stage_date=day, operator=host, host=host, opened=day,
                           at=point(rng, s, s.seat)))
    online_halls = ("陕西扶贫馆·安康馆", "邮乐购安康扶贫馆", "京东中国特产·安康扶贫馆", "淘宝安康扶贫馆", "中国社会扶贫网安康消费扶贫馆")
    for n, name in enumerate(online_halls):
        day = dt.date(2020, 9, 27) if n == 0 else day_between(rng, dt.date(2019, 8, 1), dt.date(2020, 6, 30))
        rows.append(outlet(f"{CITY}-GUAN-W{n + 1}", name, "hall", township=city_seat.seat, stage="built",
                           stage_date=day, online=True, operator=CITY_OPERATOR, host=name, opened=day))
    halls = [("安康扶贫空间", city_seat), *((f"{sites[c].name}消费扶贫馆", sites[c]) for c in codes),
             ("安康市总工会消费扶贫馆", city_seat), ("安康市教育系统消费扶贫馆", city_seat), ("安康市卫健系统消费扶贫馆", city_seat)]
    for n, (name, s) in enumerate(halls):
        day = day_between(rng, dt.date(2019, 7, 1), dt.date(2020, 6, 30))
        rows.append(outlet(f"{s.code}-GUAN-{n + 1:02d}", name, "hall", township=s.seat, stage="built", stage_date=day,
                           operator=CITY_OPERATOR if name.startswith("安康") else f"{s.name}消费扶贫运营中心",
                           host=name, opened=day, at=point(rng, s, s.seat)))
    return rows


def _city_events(sites: dict[str, Site]) -> list[dict]:
    """安康's 消费扶贫月 from 2020-09-07: 14 events of 10 kinds (seed 003 names the launch, the 六进, 一县一场, 西安行,
    常州行, 南京行 and the bank's online event of 9月27日, and the 三专 training of 9月18日)."""
    hb, org = sites["610902"].seat, "安康市人民政府"
    seat = {code: s.seat for code, s in sites.items()}

    def one(n, name, kind, day, township, signed, participants, **more):
        return event(f"E{n:02d}", name, kind, dt.date(2020, *day), township, signed_yuan=signed,
                     participants=participants, organiser=more.pop("organiser", org), **more)

    return [
        one(1, "安康市消费扶贫月启动仪式", "启动仪式", (9, 7), hb, LAUNCH_SIGNED_YUAN, LAUNCH_PARTICIPANTS,
            place="安康市汉滨区"),
        one(2, "消费扶贫“六进”·进机关", "消费扶贫“六进”", (9, 10), hb, 3.2e6, 320, organiser="安康市直机关工委"),
        one(3, "消费扶贫“六进”·进社区", "消费扶贫“六进”", (9, 16), seat["610921"], 1.8e6, 260),
        one(4, "平利县“一县一场”消费扶贫大集", "“一县一场”消费扶贫大集", (9, 12), seat["610926"], 4.5e6, 540, days=2,
            organiser="平利县人民政府"),
        one(5, "紫阳县“一县一场”消费扶贫大集", "“一县一场”消费扶贫大集", (9, 19), seat["610924"], 6.2e6, 610, days=2,
            organiser="紫阳县人民政府"),
        one(6, "旬阳县“一县一场”消费扶贫大集", "“一县一场”消费扶贫大集", (9, 26), seat["610928"], 5.1e6, 480, days=2,
            organiser="旬阳县人民政府"),
        one(7, "白河县“一县一场”消费扶贫大集", "“一县一场”消费扶贫大集", (10, 3), seat["610929"], 2.4e6, 350, days=2,
            organiser="白河县人民政府"),
        one(8, "全省消费扶贫“三专”建设现场培训班", "“三专”建设培训", (9, 18), hb, None, 360, days=2,
            organiser="陕西省扶贫开发办公室"),
        one(9, "中国农民丰收节安康分会场", "农民丰收节", (9, 22), hb, 8.8e6, 900),
        one(10, "安康扶贫产品“西安行”", "扶贫产品“西安行”", (9, 24), hb, 2.6e7, 700, days=3, place="西安曲江国际会展中心"),
        one(11, "“共建美好生活 同行幸福安康”消费扶贫活动", "金融助力消费扶贫", (9, 27), hb, 3.5e7, 500,
            organiser="中国建设银行、陕西省扶贫开发办公室、安康市委市政府", place="线上平台与安康扶贫空间"),
        one(12, "安康扶贫产品“常州行”", "扶贫产品“常州行”", (9, 29), hb, 1.2e7, 400, days=2, place="常州市"),
        one(13, "安康扶贫产品“南京行”", "扶贫产品“南京行”", (10, 5), hb, 9.5e6, 380, days=2, place="南京市"),
        one(14, "安康消费扶贫直播带货节", "直播带货", (9, 25), hb, 4.0e6, 120, place="线上直播"),
    ]


def _county_outlets(rng: np.random.Generator, s: Site) -> list[dict]:
    """A county's few outlets: counters in its supermarkets (垣曲's in those seed 000 names), its hall, for a
    designated county the regulator's zones (seed 001), and a closed counter now and then."""
    rows = counters(rng, s, 2 + s.size // 120, dt.date(2019, 9, 1), dt.date(2020, 6, 30), s.supermarkets[:3])
    day = day_between(rng, dt.date(2019, 10, 1), dt.date(2020, 5, 31))
    rows.append(outlet(f"{s.code}-GUAN-01", f"{s.name}消费扶贫馆", "hall", township=s.seat, stage="built",
                       stage_date=day, operator=f"{s.name}消费扶贫运营中心", host=f"{s.name}消费扶贫馆", opened=day,
                       at=point(rng, s, s.seat)))
    if s.designated:
        for n, (name, online) in enumerate((("市场监管总局机关服务中心超市·{c}扶贫专区", False),
                                            ("市场监管总局定点扶贫产品网上专馆·{c}专区", True))):
            day = day_between(rng, dt.date(2019, 6, 1), dt.date(2019, 12, 31))
            rows.append(outlet(f"{s.code}-QU-{n + 1:02d}", name.format(c=s.name), "zone", township=s.seat,
                               stage="built", stage_date=day, online=online, operator="国家市场监督管理总局机关服务局",
                               host="北京" if not online else "市场监管总局网上专馆", opened=day))
    if rng.random() < 0.5:
        opened = day_between(rng, dt.date(2019, 9, 1), dt.date(2019, 12, 31))
        rows.append(outlet(f"{s.code}-GUI-X1", f"{s.name}城关便民店消费扶贫专柜", "counter", township=s.seat,
                           stage="closed", stage_date=day_between(rng, dt.date(2020, 4, 1), dt.date(2020, 9, 30)),
                           operator=f"{s.name}供销合作社", host=f"{s.name}城关便民店", opened=opened, units=1))
    return rows


def _county_events(rng: np.random.Generator, s: Site) -> list[dict]:
    """A county's harvest festivals of 2019 and 2020 and its 2020 New Year fair, with what they signed."""
    return [event(f"{s.code}-E{n + 1:02d}", name.format(c=s.name), kind, day, s.seat, days=2,
                  participants=int(rng.integers(150, 900)), organiser=f"{s.name}人民政府",
                  signed_yuan=round(float(rng.uniform(50, 400)) * 1e4, -3))
            for n, (name, kind, day) in enumerate((("{c}农民丰收节展销会", "农民丰收节", dt.date(2019, 9, 23)),
                                                    ("{c}消费扶贫年货节", "年货节", dt.date(2020, 1, 10)),
                                                    ("{c}农民丰收节展销会", "农民丰收节", dt.date(2020, 9, 22))))]


def _county_sales(rng: np.random.Generator, outlets: pd.DataFrame, events: pd.DataFrame,
                  mine: pd.DataFrame) -> pd.DataFrame:
    """A county's sales ledger: its outlets' weekly sales (some 3,000元 a week at a counter), its events' signed and
    made sales, monthly sales through other channels and a few contracts, in proportion to its products' value."""
    mine = mine.reset_index(drop=True)
    through = sales.outlet_rows(rng, outlets, {o: mine for o in outlets["outlet_id"]}, SALES_TO)
    through = through.assign(amount_yuan=np.round(through["amount_yuan"] * 3000.0, 2))
    shares = {e: float(rng.uniform(0.3, 1.1)) for e in events["event_id"]}
    at_events = sales.event_rows(rng, events, {e: mine for e in events["event_id"]}, shares, EVENT_DUE_DAYS)
    value = float(mine["value"].sum())
    others = sales.other_rows(rng, mine, SALES_FROM, SALES_TO)
    others = sales.scaled(others, others["sale_date"] >= dt.date(2020, 1, 1), round(value * 0.05, 2))
    contracts = sales.signed_rows(rng, mine, SALES_FROM, SALES_TO, 6)
    contracts = sales.scaled(contracts, contracts["sale_date"] >= dt.date(2020, 1, 1), round(value * 0.03, 2))
    return pd.concat([through, at_events, others, contracts], ignore_index=True)
