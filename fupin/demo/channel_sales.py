"""The demo's sales-ledger rows (销售台账): weekly sales through each 三专 outlet in service (daily in a holiday), what
events signed and what their sales made afterwards, and monthly sales of certified products through other channels
and contracts signed outside events. Amounts are relative until `scaled` sets a part of them to a total."""

import datetime as dt

import numpy as np
import pandas as pd

from .purchases import scale_to

WEEK = 7
# How much an outlet sells in a week, relative to a counter: its kind, and a smart counter's smaller shelf.
OUTLET_RATES = {"counter": 1.0, "zone": 3.0, "hall": 6.0}
SMART_RATE = 0.6
HOLIDAY_RATE = 2.5          # a day of a holiday week against an ordinary week's day
SPREAD = 0.5                # lognormal sigma of one row's amount
# The channels of sales outside outlets and events (fupin.store.schema.CHANNELS codes) and their shares of rows.
OTHER_CHANNELS = {"ecommerce": 0.35, "canteen": 0.3, "retail": 0.2, "base_contract": 0.1, "catering": 0.05}
SIGNED_CHANNELS = {"canteen": 0.5, "retail": 0.3, "processing": 0.2}
SIGNERS = ("市直机关消费扶贫采购联盟", "西安市对口帮扶采购团", "常州市消费扶贫采购团", "南京市消费扶贫采购团",
           "陕西省供销合作总社", "安康市教育系统食堂联合采购", "安康市总工会", "驻村帮扶单位联合采购", "中国建设银行陕西省分行")
COLUMNS = ["sale_date", "product_id", "township_code", "outlet_id", "event_id", "channel", "sale_type", "buyer_name",
           "amount_yuan"]


def _days(first: dt.date, last: dt.date, step: int) -> list[dt.date]:
    return [first + dt.timedelta(days=d) for d in range(0, (last - first).days + 1, step)]


def _rows(dates, products: pd.DataFrame, picks: np.ndarray, amounts: np.ndarray, **fixed) -> pd.DataFrame:
    """Sales rows on `dates` of the products at `picks` (their township is the row's), relative `amounts`."""
    chosen = products.iloc[picks]
    frame = pd.DataFrame({"sale_date": list(dates), "product_id": chosen["product_id"].to_numpy(),
                          "township_code": chosen["township_code"].to_numpy(), "amount_yuan": amounts})
    for column in COLUMNS:
        if column not in frame:
            frame[column] = fixed.get(column)
    return frame[COLUMNS]


def outlet_rows(rng: np.random.Generator, outlets: pd.DataFrame, sold_at: dict[str, pd.DataFrame], last: dt.date,
                holiday: tuple[dt.date, dt.date] | None = None, stops: dict[str, dt.date] | None = None) -> pd.DataFrame:
    """Each in-service outlet's sales (products of `sold_at[outlet_id]`) a week at a time from its opening to `last`
    (or its closing, or its stop in `stops`), a day at a time in `holiday`."""
    frames = []
    for o in outlets.itertuples(index=False):
        offered = sold_at.get(o.outlet_id)
        if o.stage not in ("built", "landed", "closed") or o.opened_date is None or offered is None or offered.empty:
            continue
        end = min(last, (stops or {}).get(o.outlet_id, last), o.stage_date if o.stage == "closed" else last)
        rate = OUTLET_RATES[o.kind] * (SMART_RATE if o.smart else 1.0) * rng.lognormal(0.0, SPREAD)
        days = [d for d in _days(o.opened_date + dt.timedelta(days=int(rng.integers(WEEK))), end, WEEK)
                if not (holiday and holiday[0] <= d <= holiday[1])]
        weights = [rate] * len(days)
        if holiday and o.opened_date <= holiday[0] and end >= holiday[1]:
            extra = _days(*holiday, 1)
            days += extra
            weights += [rate * HOLIDAY_RATE / WEEK] * len(extra)
        if not days:
            continue
        picks = rng.integers(len(offered), size=len(days))
        amounts = np.array(weights) * rng.lognormal(0.0, SPREAD, size=len(days))
        frames.append(_rows(days, offered, picks, amounts, outlet_id=o.outlet_id, sale_type="actual"))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)


def event_rows(rng: np.random.Generator, events: pd.DataFrame, sold_at: dict[str, pd.DataFrame],
               made_share: dict[str, float], due_days: int) -> pd.DataFrame:
    """What each event signed (its signed amount split among its products, on its first day) and its sales made from
    then to `due_days` after it ended, `made_share` of what it signed to the fen."""
    frames = []
    for e in events.itertuples(index=False):
        offered = sold_at[e.event_id]
        signed = e.signed_amount_yuan
        if pd.isna(signed) or not signed:   # an event signing nothing (a training) makes no sales here
            continue
        picks = rng.choice(len(offered), size=min(len(offered), int(rng.integers(3, 12))), replace=False)
        frames.append(_rows([e.start_date] * len(picks), offered, picks,
                            scale_to(rng.lognormal(0.0, 1.0, size=len(picks)), signed, 2), event_id=e.event_id,
                            sale_type="signed", buyer_name=SIGNERS[int(rng.integers(len(SIGNERS)))]))
        days = _days(e.start_date, e.end_date + dt.timedelta(days=due_days), 3)
        made = scale_to(rng.lognormal(0.0, SPREAD, size=len(days)), round(signed * made_share[e.event_id], 2), 2)
        frames.append(_rows(days, offered, rng.choice(picks, size=len(days)), made, event_id=e.event_id,
                            sale_type="actual"))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)


def other_rows(rng: np.random.Generator, products: pd.DataFrame, first: dt.date, last: dt.date) -> pd.DataFrame:
    """Each certified product's sales through other channels, one row a month from its certification (or `first`)
    to `last`, dated in the month, amounts by the product's value."""
    dates, picks, amounts = [], [], []
    months = pd.date_range(first, last, freq="MS").date
    for i, p in enumerate(products.itertuples(index=False)):
        for month in months:
            if month < p.certified_date.replace(day=1):
                continue
            day = month + dt.timedelta(days=int(rng.integers(28)))
            if day > last:
                continue
            dates.append(day)
            picks.append(i)
            amounts.append(p.weight * rng.lognormal(0.0, SPREAD))
    frame = _rows(dates, products, np.array(picks, dtype=int), np.array(amounts), sale_type="actual")
    channels = list(OTHER_CHANNELS)
    shares = np.array(list(OTHER_CHANNELS.values()))
    frame["channel"] = np.asarray(channels, dtype=object)[rng.choice(len(channels), size=len(frame), p=shares)]
    return frame


def signed_rows(rng: np.random.Generator, products: pd.DataFrame, first: dt.date, last: dt.date,
                count: int) -> pd.DataFrame:
    """`count` contracts signed outside events from first to last, with units and buyers' groups."""
    days = sorted(first + dt.timedelta(days=int(d)) for d in rng.integers((last - first).days + 1, size=count))
    picks = rng.choice(len(products), size=count, p=products["weight"].to_numpy() / products["weight"].sum())
    frame = _rows(days, products, picks, rng.lognormal(0.0, 0.8, size=count), sale_type="signed")
    channels = list(SIGNED_CHANNELS)
    shares = np.array(list(SIGNED_CHANNELS.values()))
    frame["channel"] = np.asarray(channels, dtype=object)[rng.choice(len(channels), size=count, p=shares)]
    frame["buyer_name"] = np.asarray(SIGNERS, dtype=object)[rng.integers(len(SIGNERS), size=count)]
    return frame


def scaled(frame: pd.DataFrame, within: pd.Series, total: float, rest: pd.Series | None = None) -> pd.DataFrame:
    """The rows with amounts to the fen: those `within` summing to `total` exactly, those of `rest` (default: every
    other row) by the same factor, any others as they are."""
    amounts = frame["amount_yuan"].to_numpy(dtype=float)
    inside = within.to_numpy(dtype=bool)
    others = ~inside if rest is None else rest.to_numpy(dtype=bool)
    factor = total / amounts[inside].sum()
    out = amounts.copy()
    out[others] = np.round(amounts[others] * factor, 2)
    out[inside] = scale_to(amounts[inside], total, 2)
    return frame.assign(amount_yuan=out)


def in_dates(frame: pd.DataFrame, first: dt.date, last: dt.date) -> pd.Series:
    """Which rows are dated from first to last."""
    return frame["sale_date"].map(lambda d: first <= d <= last)
