"""Chart builders: plain DataFrames in, Plotly figures out, checked without Streamlit."""

import datetime as dt

import pandas as pd
import pytest

from fupin.query.filters import Filter
from fupin.report import charts, county_map, geo, mapping, page_data
from fupin.store import reference

YUANQU = ("140827",)

REPORT_DAY = dt.date(2018, 12, 29)


@pytest.fixture(scope="module")
def boundaries():
    return geo.load_boundaries(geo.SCHEMATIC_PATH.parent / "no-custom-here", "140827")


def summary_frame() -> pd.DataFrame:
    return pd.DataFrame({"township_code": ["140827100", "140827203", "140827400"],
                         "township_name": ["新城镇", "华峰乡", "垣曲县社区服务中心"],
                         "amount_yuan": [100.0, 300.0, 5.0]})


def township_map(frame, boundaries, label, **options):
    return charts.area_map(frame, [("", boundaries)], "township_code", "township_name", "amount_yuan",
                           frame["amount_yuan"].astype(str), label, **options)


def test_map_draws_each_township_with_its_code_for_clicks(boundaries):
    frame = summary_frame()
    fig = township_map(frame, boundaries, "金额", selected="140827203")
    clickable = [t for t in fig.data if t.name in ("grid", "labels")]
    codes = {c[0] for t in clickable for c in t.customdata}
    assert codes == {"140827100", "140827203"}, "a township without an area (no seat) is not drawn"
    names = {a.text for a in fig.layout.annotations if "<b>" in a.text}
    assert names == {"<b>新城镇</b>", "<b>华峰乡</b>"}
    outlines = [t for t in fig.data if t.fill == "toself"]
    assert [t.line.width for t in outlines] == [1.2, 3], "the selected township is outlined"


def test_the_map_says_under_it_that_its_areas_are_schematic(demo_db, boundaries):
    flt = Filter.year_to_date(REPORT_DAY, counties=YUANQU)
    data = page_data.overview(demo_db, flt)
    _, _, notices = mapping.area_figure(data, flt, "purchase_amount_yuan", "zh", boundaries)
    assert notices[0].startswith("乡镇边界为示意"), "first under the map: what its outlines are"
    fig, _, _ = mapping.area_figure(data, flt, "purchase_amount_yuan", "zh", boundaries)
    assert not any("示意" in a.text for a in fig.layout.annotations), "not inside it, where a narrow map cuts it"


def test_map_colours_follow_the_values(boundaries):
    frame = summary_frame()
    fig = township_map(frame, boundaries, "金额")
    fills = [t.fillcolor for t in fig.data if t.fill == "toself"]
    assert fills[0] != fills[1]
    diverging = township_map(frame, boundaries, "%", midpoint=200.0)
    bar = next(t for t in diverging.data if t.marker is not None and t.marker.showscale)
    assert (bar.marker.cmin + bar.marker.cmax) / 2 == pytest.approx(200.0)


def colour_bar(fig):
    return next(t for t in fig.data if t.marker is not None and t.marker.showscale).marker.colorbar


def test_a_map_of_counts_has_whole_numbers_on_its_colour_bar(boundaries):
    frame = summary_frame().assign(amount_yuan=[0.0, 2.0, 1.0])
    few = colour_bar(township_map(frame, boundaries, "预警"))
    assert (few.tickformat, few.tick0, few.dtick) == (",d", 0, 1), "no 0.5 of a warning"
    many = colour_bar(township_map(frame.assign(amount_yuan=[0.0, 90.0, 40.0]), boundaries, "批次"))
    assert many.tickformat == ",d" and many.dtick is None
    money = colour_bar(township_map(summary_frame().assign(amount_yuan=[0.5, 2.25, 1.0]), boundaries, "金额"))
    assert money.tickformat is None


def test_trend_and_schedule_from_the_demo(demo_db):
    db = demo_db
    data = page_data.overview(db, Filter.year_to_date(REPORT_DAY, counties=YUANQU))
    trend = charts.monthly_trend(data.monthly, "amount_yuan")
    assert len(trend.data[0].x) == 12 and sum(trend.data[0].y) == pytest.approx(data.headline.actuals[
        "purchase_amount_yuan"] / 10_000)
    path = charts.schedule_path(data.schedule, data.amount_target, REPORT_DAY)
    assert path.data[0].y[-1] == pytest.approx(data.headline.actuals["purchase_amount_yuan"] / 10_000)
    assert path.data[1].y[-1] == pytest.approx(data.amount_target / 10_000)


def test_the_year_before_the_data_begins_draws_no_last_year_line(demo_db):
    samr = ("621226", "230883", "230881")   # their purchases begin in 2018
    first = page_data.overview(demo_db, Filter.year_to_date(dt.date(2018, 12, 31), counties=samr))
    assert first.monthly["amount_yuan_last_year"].isna().all()
    assert [trace.name for trace in charts.monthly_trend(first.monthly, "amount_yuan").data] == ["本期"]
    second = page_data.overview(demo_db, Filter.year_to_date(dt.date(2019, 12, 31), counties=samr))
    lines = charts.monthly_trend(second.monthly, "amount_yuan").data
    assert len(lines) == 2 and sum(lines[1].y) == pytest.approx(first.headline.actuals["purchase_amount_yuan"] / 10_000)


def test_bar_puts_the_largest_on_top():
    frame = pd.DataFrame({"name": ["a", "b", "c"], "v": [1.0, 3.0, 2.0], "code": ["A", "B", "C"]})
    fig = charts.bar(frame, "name", "v", "t", unit_label="批次", key_column="code")
    assert list(fig.data[0].y) == ["a", "c", "b"] and [c[0] for c in fig.data[0].customdata] == ["A", "C", "B"]


def test_counties_far_apart_get_panels_of_their_own():
    counties = reference.counties(("621226", "230883", "230881"))
    panels = county_map.panels(counties)
    assert [sorted(p.shapes) for _, p in panels] == [["230881", "230883"], ["621226"]]
    assert panels[0][0] == "黑龙江省佳木斯市" and panels[1][0] == "甘肃省陇南市"
    frame = counties.assign(amount_yuan=[3.0, 2.0, 1.0])
    fig = charts.area_map(frame, panels, "county_code", "county_name", "amount_yuan", frame["amount_yuan"].astype(str),
                          "金额")
    clickable = {c[0] for t in fig.data if t.name in ("grid", "labels") for c in t.customdata}
    assert clickable == {"621226", "230883", "230881"}
    assert {t.xaxis for t in fig.data if t.fill == "toself"} == {"x", "x2"}, "one panel each"


def test_neighbouring_counties_share_a_panel():
    ankang = reference.counties()
    ankang = ankang[ankang["city_code"] == "610900"]
    assert len(county_map.panels(ankang)) == 1
