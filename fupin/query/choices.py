"""What the filters can choose from in a snapshot: years with data, townships of a year, villages, categories."""

from .db import SnapshotDB


def years(db: SnapshotDB, counties: tuple[str, ...]) -> list[int]:
    """Years with data in the counties, newest first, through the snapshot's own year."""
    ranges = db.run("data_date_range", counties=list(counties))
    firsts = [d.year for d in ranges["first_date"].dropna()]
    lasts = [d.year for d in ranges["last_date"].dropna()]
    last = max(max(lasts, default=db.snapshot.as_of.year), db.snapshot.as_of.year)
    first = max(min(firsts, default=last), 2000)
    return list(range(last, first - 1, -1))


def township_names(db: SnapshotDB, year: int, counties: tuple[str, ...]) -> dict[str, str]:
    """The townships of the counties in a year's code edition (and any holding purchases that year), code -> name."""
    frame = db.run("township_options", year=year, counties=list(counties))
    return dict(zip(frame["township_code"], frame["township_name"]))


def successor(db: SnapshotDB, township: str | None) -> str | None:
    """The code that replaced a township (英言乡 -> 英言镇), or the code itself."""
    frame = db.run("township_successors")
    return dict(zip(frame["township_code"], frame["successor_code"])).get(township, township)


def village_names(db: SnapshotDB, township: str) -> dict[str, str]:
    """The villages of a township, code -> name."""
    frame = db.run("village_options", township=township)
    return dict(zip(frame["village_code"], frame["village_name"]))


def product_categories(db: SnapshotDB, counties: tuple[str, ...]) -> list[str]:
    """The product categories present in the counties' purchases."""
    return list(db.run("product_category_options", counties=list(counties))["product_category"])
