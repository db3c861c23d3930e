"""Random days within given months of a year, for many rows at once."""

import numpy as np


def day_in_month(rng: np.random.Generator, months: np.ndarray, year: int) -> np.ndarray:
    """A uniformly drawn day (datetime64[D]) in each row's month (0 = January) of `year`."""
    starts = np.arange(np.datetime64(f"{year}-01"), np.datetime64(f"{year + 1}-01"), dtype="datetime64[M]")
    first = starts.astype("datetime64[D]")
    lengths = (np.append(first[1:], np.datetime64(f"{year + 1}-01-01")) - first).astype(np.int64)
    return first[months] + (rng.random(len(months)) * lengths[months]).astype("timedelta64[D]")
