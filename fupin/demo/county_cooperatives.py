"""The farmer cooperative register of a county other than 垣曲, sized by its villages."""

import datetime as dt

import numpy as np
import pandas as pd

from ..store.credit_code import ALPHABET, make_cooperative_code
from .cooperatives import BRANDS, REGISTRATIONS
from .geography import Geography, village_short_names
from .regions import Region

# Cooperatives registered by the end of 2020, per rural village (垣曲: 919 for 188), spread over the years as
# 垣曲's registrations were.
PER_VILLAGE = (1.6, 3.6)
CLOSED_BEFORE_2018 = 0.04   # of those registered before 2016
CLOSED_2018_2020 = 0.02     # of those registered before 2019
LAST_DAY = dt.date(2020, 12, 31)
# What tells two cooperatives of one village and trade apart: nothing, a brand word, then two.
BRAND_WORDS = ("", *BRANDS, *(a + b for a in BRANDS for b in BRANDS if a != b))


def _serials(rng: np.random.Generator, count: int) -> np.ndarray:
    """`count` distinct organisation serials (MA0 and six characters), in the order drawn."""
    draws = rng.integers(len(ALPHABET), size=(count + 32, 6))
    serials = np.array(["MA0" + "".join(ALPHABET[i] for i in row) for row in draws])
    _, first_seen = np.unique(serials, return_index=True)
    return serials[np.sort(first_seen)][:count]


def _registration_dates(rng: np.random.Generator, total: int) -> np.ndarray:
    years = np.array(list(REGISTRATIONS))
    shares = np.array(list(REGISTRATIONS.values()), dtype=float) * rng.lognormal(0.0, 0.15, size=len(years))
    counts = rng.multinomial(total, shares / shares.sum())
    starts = np.repeat([np.datetime64(f"{y}-01-01") for y in years], counts)
    return np.sort(starts + rng.integers(365, size=total).astype("timedelta64[D]"))


def _deregistrations(rng: np.random.Generator, registered: np.ndarray) -> np.ndarray:
    """NaT for cooperatives in business at the end of 2020, else the day they closed (at least a year after)."""
    closed = np.full(len(registered), np.datetime64("NaT"), dtype="datetime64[D]")
    early = (rng.random(len(registered)) < CLOSED_BEFORE_2018) & (registered < np.datetime64("2016-01-01"))
    late = ~early & (rng.random(len(registered)) < CLOSED_2018_2020) & (registered < np.datetime64("2019-01-01"))
    first = registered + np.timedelta64(365, "D")
    for rows, start, end in ((early, first, np.datetime64("2017-12-31")),
                             (late, np.maximum(first, np.datetime64("2018-01-01")), np.datetime64(LAST_DAY))):
        span = (end - start[rows]).astype(int) + 1
        closed[rows] = start[rows] + (rng.random(rows.sum()) * span).astype("timedelta64[D]")
    return closed


def _distinct(name: str, seen: set[str], brand_at: int) -> str:
    """The name, or with a brand word (then two) inserted at `brand_at` until no other cooperative has it."""
    for brand in BRAND_WORDS:
        candidate = name[:brand_at] + brand + name[brand_at:]
        if candidate not in seen:
            seen.add(candidate)
            return candidate
    raise ValueError(f"no distinct name for {name}")


def build_county_cooperatives(rng: np.random.Generator, county_code: str, county_name: str, region: Region,
                              geo: Geography) -> tuple[pd.DataFrame, np.ndarray]:
    """The register on the county's village codes (2020 registrations on the 2020 edition), and each
    cooperative's village as a position in `geo.rural_2018`."""
    rural = geo.rural_2018
    total = round(len(rural) * rng.uniform(*PER_VILLAGE))
    registered = _registration_dates(rng, total)
    at = rng.integers(len(rural), size=total)
    industries = np.asarray(region.industries)[rng.integers(len(region.industries), size=total)]
    stems = village_short_names(rural["village_name"]).to_numpy()[at]
    seen: set[str] = set()
    names = [_distinct(f"{county_name}{stem}{industry}专业合作社", seen, len(county_name) + len(stem))
             for stem, industry in zip(stems, industries)]
    codes_2018 = rural["village_code"].to_numpy()[at]
    in_2020 = registered >= np.datetime64("2020-01-01")
    village_codes = np.where(in_2020, [geo.successor_2020[c] for c in codes_2018], codes_2018)
    township_of = geo.villages.set_index("village_code")["township_code"]
    members = np.maximum(5, rng.lognormal(3.0, 0.7, size=total).astype(int))
    frame = pd.DataFrame({
        "credit_code": [make_cooperative_code(county_code, s) for s in _serials(rng, total)],
        "cooperative_name": names,
        "county_code": county_code,
        "township_code": township_of.reindex(village_codes).to_numpy(),
        "village_code": village_codes,
        "industry": industries,
        "registered_date": registered,
        "deregistered_date": _deregistrations(rng, registered),
        "members": members.astype("int32"),
        "poor_household_members": rng.binomial(members, 0.3).astype("int32"),
    })
    return frame, at
