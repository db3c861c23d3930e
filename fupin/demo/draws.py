"""Random draws for many rows at once: keys by their shares, days within months."""

import numpy as np


def pick(rng: np.random.Generator, shares: dict[str, float], n: int) -> np.ndarray:
    """`n` keys of `shares`, each drawn with probability proportional to its share."""
    keys = list(shares)
    p = np.array([shares[k] for k in keys])
    return np.asarray(keys, dtype=object)[rng.choice(len(keys), size=n, p=p / p.sum())]


def day_in_month(rng: np.random.Generator, months: np.ndarray, year: int) -> np.ndarray:
    """A uniformly drawn day (datetime64[D]) in each row's month (0 = January) of `year`."""
    starts = np.arange(np.datetime64(f"{year}-01"), np.datetime64(f"{year + 1}-01"), dtype="datetime64[M]")
    first = starts.astype("datetime64[D]")
    lengths = (np.append(first[1:], np.datetime64(f"{year + 1}-01-01")) - first).astype(np.int64)
    return first[months] + (rng.random(len(months)) * lengths[months]).astype("timedelta64[D]")
