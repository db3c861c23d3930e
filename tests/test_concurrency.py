"""Many threads sharing one SnapshotDB at once: every result belongs to its own filter."""

import datetime as dt
import threading

import pandas as pd
import pytest

from fupin.query.db import SnapshotDB
from fupin.query.filters import Filter
from fupin.report import page_data

YUANQU = ("140827",)

ROUNDS = 4


@pytest.fixture(scope="module")
def shared_db(demo_store):
    db = SnapshotDB(demo_store.current(), cache_entries=0)
    yield db
    db.close()


def township_filters(db: SnapshotDB) -> list[Filter]:
    towns = db.run("township_options", year=2018, counties=["140827"])["township_code"].tolist()
    return [Filter.year_to_date(dt.date(2018, 12, 29), counties=YUANQU, township=code) for code in towns]


def answers(db: SnapshotDB, flt: Filter) -> dict:
    """What the purchases page asks for one township."""
    return {
        "totals": db.run_filtered("purchase_totals", flt),
        "by_village": db.run_filtered("purchase_by_village", flt),
        "by_township": db.run_filtered("purchase_by_township", flt),
        "records": page_data.purchase_records(db, flt, rows=200),
    }


def test_threads_with_different_townships_get_their_own_rows(shared_db):
    flts = township_filters(shared_db)
    assert len(flts) >= 8
    serial = {flt.township: answers(shared_db, flt) for flt in flts}
    names = dict(shared_db.run("township_options", year=2018, counties=["140827"])[["township_code", "township_name"]].values)
    start = threading.Barrier(len(flts))
    results: dict[str, list[dict]] = {flt.township: [] for flt in flts}
    failures: list[BaseException] = []

    def worker(flt: Filter) -> None:
        try:
            start.wait(timeout=60)
            for _ in range(ROUNDS):
                results[flt.township].append(answers(shared_db, flt))
        except BaseException as e:   # reported below, in the test's thread
            failures.append(e)

    threads = [threading.Thread(target=worker, args=(flt,)) for flt in flts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not failures, failures
    for code, runs in results.items():
        assert len(runs) == ROUNDS
        for got in runs:
            assert set(got["by_village"]["township_code"]) <= {code}
            active = got["by_township"][got["by_township"]["amount_yuan"] > 0]
            assert set(active["township_code"]) <= {code}
            assert set(got["records"]["township_name"].dropna()) <= {names[code]}
            for key in ("totals", "by_village", "by_township", "records"):
                pd.testing.assert_frame_equal(got[key], serial[code][key], check_exact=False, rtol=1e-9)
