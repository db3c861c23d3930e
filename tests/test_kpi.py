"""序时进度, target progress and year-on-year arithmetic on hand-made cases."""

import datetime as dt

import pytest

from fupin.report import kpi


@pytest.mark.parametrize("as_of, share", [
    (dt.date(2018, 1, 1), 1 / 365),
    (dt.date(2018, 7, 2), 183 / 365),
    (dt.date(2018, 12, 29), 363 / 365),
    (dt.date(2018, 12, 31), 1.0),
    (dt.date(2020, 2, 29), 60 / 366),
    (dt.date(2020, 12, 31), 1.0),
])
def test_schedule_share(as_of, share):
    assert kpi.schedule_share(as_of) == pytest.approx(share)


@pytest.mark.parametrize("actual, target, done", [
    (50, 100, 50.0),
    (150, 100, 150.0),
    (0, 100, 0.0),
    (10, 0, None),
    (10, None, None),
])
def test_pct_done(actual, target, done):
    assert kpi.pct_done(actual, target) == (pytest.approx(done) if done is not None else None)


def test_progress_behind_schedule_on_dec_29():
    # 4154万 of a 4300万 target on 2018-12-29: 96.60% done vs 99.45% elapsed -> 2.85 pp behind
    p = kpi.progress("purchase_amount_yuan", 41_540_000, 43_000_000, dt.date(2018, 12, 29))
    assert p.pct_done == pytest.approx(96.6047, abs=1e-3)
    assert p.schedule_pct == pytest.approx(99.4521, abs=1e-3)
    assert p.ahead_pp == pytest.approx(-2.8474, abs=1e-3)
    assert p.on_schedule is False


def test_progress_ahead_mid_year():
    p = kpi.progress("lab_batches", 400, 700, dt.date(2018, 7, 2))
    assert p.ahead_pp == pytest.approx(400 / 700 * 100 - 183 / 365 * 100)
    assert p.on_schedule is True


@pytest.mark.parametrize("current, previous, yoy", [
    (134, 86, (134 / 86 - 1) * 100),
    (86, 134, (86 / 134 - 1) * 100),
    (5, 0, None),
    (5, None, None),
    (0, 10, -100.0),
    (5, float("nan"), None),
])
def test_yoy(current, previous, yoy):
    result = kpi.yoy_pct(current, previous)
    assert result == (pytest.approx(yoy) if yoy is not None else None)


def test_seed_yoy_is_computed_honestly():
    assert round(kpi.yoy_pct(134, 86), 1) == 55.8
