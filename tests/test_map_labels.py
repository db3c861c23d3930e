"""Map labels never collide: every county of the schematic areas, and the groups' county maps, drawn as a phone
(390 px), a 1366 px laptop and the printed A4 page draw them; label boxes estimated here from the font size and the
text's length, independently of fupin.report.labels."""

import json
import math
import re

import pandas as pd
import pytest

from fupin.report import briefing_html, charts, county_map, geo, labels
from fupin.store import reference

# Where a map is drawn: viewport, the map's drawn width (px) and whether the narrow labels apply there. A phone's
# 390 px screen leaves the map 358 px; a 1366 px laptop's column 535 px (measured in Chromium); A4 minus its margins
# 703 px (print: screen media queries do not apply).
DRAWN = {"phone_390": (358, True), "laptop_1366": (535, False), "print": (703, False)}
# The heights: a page's map, the briefing's (on the page, in the HTML and the PDF).
HEIGHTS = {"page": charts.MAP_HEIGHT, "briefing": briefing_html.MAP_HEIGHT}
# Longest value texts the maps write (money in 万元, a share, English counts).
VALUES = ("12345.6万元", "117.1%", "12 warnings")


def han(ch: str) -> bool:
    return ord(ch) >= 0x2E80


def estimated_box(annotation, x_px: float, y_px: float) -> tuple[float, float, float, float]:
    """An annotation's box: a Han character one em wide, any other 0.6 em, lines 1.3 em, plus its padding."""
    lines = re.sub(r"<(?!br)[^>]+>", "", annotation.text).split("<br>")
    size = annotation.font.size
    width = max(sum(size if han(ch) else 0.6 * size for ch in line) for line in lines) + 2 * annotation.borderpad
    height = len(lines) * 1.3 * size + 2 * annotation.borderpad
    top = {"middle": y_px - height / 2, "top": y_px, "bottom": y_px - height}[annotation.yanchor or "middle"]
    top -= annotation.yshift or 0
    return x_px - width / 2, top, x_px + width / 2, top + height


def drawn_boxes(fig, width: int, narrow: bool) -> list[tuple[str, tuple]]:
    """The label boxes (figure pixels) of a map drawn `width` px wide: each axis pair keeps its aspect ratio, the
    range with room to spare widened about its centre, as plotly draws `scaleanchor`."""
    layout = fig.layout
    margin = layout.margin
    plot_w, plot_h = width - margin.l - margin.r, layout.height - margin.t - margin.b
    hidden = set(layout.meta[labels.NARROW_KEY if narrow else labels.WIDE_KEY])
    found = []
    for i, note in enumerate(layout.annotations):
        if note.xref == "paper" or i in hidden:
            continue
        xaxis = layout[note.xref.replace("x", "xaxis")]
        yaxis = layout[note.yref.replace("y", "yaxis")]
        (x0, x1), (y0, y1) = xaxis.range, yaxis.range
        left, panel_w = margin.l + xaxis.domain[0] * plot_w, (xaxis.domain[1] - xaxis.domain[0]) * plot_w
        k = min(panel_w / (x1 - x0), plot_h / ((y1 - y0) * yaxis.scaleratio))
        x = left + panel_w / 2 + (note.x - (x0 + x1) / 2) * k
        y = margin.t + plot_h / 2 - (note.y - (y0 + y1) / 2) * k * yaxis.scaleratio
        found.append((note.text, estimated_box(note, x, y)))
    return found


def overlaps(boxes) -> list[tuple[str, str]]:
    return [(a, b) for i, (a, (ax0, ay0, ax1, ay1)) in enumerate(boxes) for b, (bx0, by0, bx1, by1) in boxes[i + 1:]
            if ax0 < bx1 and bx0 < ax1 and ay0 < by1 and by0 < ay1]


def schematic_counties() -> list[str]:
    features = json.loads(geo.SCHEMATIC_PATH.read_text(encoding="utf-8"))["features"]
    return sorted({f["properties"]["township_code"][:6] for f in features})


def township_figure(county: str, value: str, height: int):
    areas = geo.schematic(county)
    towns = reference.townships((county,)).drop_duplicates("township_code")
    frame = towns[towns["township_code"].isin(areas.shapes)][["township_code", "township_name"]]
    frame = frame.reset_index(drop=True).assign(v=1.0)
    return charts.area_map(frame, [("", areas)], "township_code", "township_name", "v",
                           pd.Series([value] * len(frame)), "v", height=height), frame


def county_figure(codes, value: str, height: int):
    counties = reference.counties(codes)
    frame = counties[["county_code", "county_name"]].reset_index(drop=True).assign(v=1.0)
    return charts.area_map(frame, county_map.panels(counties), "county_code", "county_name", "v",
                           pd.Series([value] * len(frame)), "v", height=height), frame


def assert_clear(fig, frame, name_column: str, where: str) -> None:
    names = set(frame[name_column])
    for place, (width, narrow) in DRAWN.items():
        boxes = drawn_boxes(fig, width, narrow)
        assert overlaps(boxes) == [], f"{where}, {place}"
        for _, (x0, y0, x1, y1) in boxes:
            assert 0 <= x0 and x1 <= width and 0 <= y0 and y1 <= fig.layout.height, f"{where}, {place}: cut"
        shown = {re.sub(r"</?b>", "", text) for text, _ in boxes}
        assert shown & {labels.short_name(n) for n in names} | (shown & names), f"{where}, {place}: no label"
    hover = {c[1] for t in fig.data if t.name == "labels" for c in t.customdata}
    assert hover == names, "every area keeps its full name on hover"


@pytest.mark.parametrize("county", schematic_counties())
def test_no_two_township_labels_collide_on_a_phone_a_laptop_or_paper(county):
    for height in HEIGHTS.values():
        for value in VALUES:
            fig, frame = township_figure(county, value, height)
            assert_clear(fig, frame, "township_name", f"{county} {height}px {value}")


@pytest.mark.parametrize("codes", [("621226", "230883", "230881"), tuple(
    reference.counties().query("city_code == '610900'")["county_code"])], ids=["samr", "ankang"])
def test_no_two_county_labels_collide(codes):
    for height in HEIGHTS.values():
        fig, frame = county_figure(codes, VALUES[0], height)
        assert_clear(fig, frame, "county_name", f"{codes} {height}px")


def shown_names(fig, narrow: bool) -> list[str]:
    """The area names a drawing of the map shows."""
    hidden = set(fig.layout.meta[labels.NARROW_KEY if narrow else labels.WIDE_KEY])
    return [a.text[3:-4] for i, a in enumerate(fig.layout.annotations) if a.text.startswith("<b>") and i not in hidden]


def test_crowded_lixian_keeps_most_names_and_shortens_or_drops_the_rest():
    fig, frame = township_figure("621226", "117.1%", charts.MAP_HEIGHT)
    wide, narrow = shown_names(fig, narrow=False), shown_names(fig, narrow=True)
    assert len(frame) / 2 <= len(wide) < len(frame), "礼县's 34 townships: most named on a laptop, not all"
    assert 0 < len(narrow) <= len(wide), "a phone names fewer"
    full = set(frame["township_name"])
    assert sum(name in full for name in wide) > sum(name in full for name in narrow), "whole names where there is room"


def test_the_chosen_township_is_always_named():
    areas = geo.schematic("621226")
    for code in sorted(areas.shapes)[::6]:
        towns = reference.townships(("621226",)).drop_duplicates("township_code")
        frame = towns[towns["township_code"].isin(areas.shapes)][["township_code", "township_name"]]
        frame = frame.reset_index(drop=True).assign(v=1.0)
        fig = charts.area_map(frame, [("", areas)], "township_code", "township_name", "v",
                              pd.Series(["117.1%"] * len(frame)), "v", selected=code)
        name = frame.set_index("township_code").loc[code, "township_name"]
        for narrow in (False, True):
            assert {name, labels.short_name(name)} & set(shown_names(fig, narrow)), f"{name} chosen, named"


@pytest.mark.parametrize("name, short", [("长直乡", "长直"), ("王茅镇", "王茅"), ("城关街道", "城关"), ("礼县", "礼县"),
                                         ("垣曲县社区服务中心", "垣曲县社区服务中心")])
def test_a_name_is_shortened_by_its_suffix_only(name, short):
    assert labels.short_name(name) == short


def test_the_estimate_is_wider_than_the_tests_own():
    for text in ("王茅镇", "117.1%", "12 warnings", "1234.5万元"):
        width, height = labels.line_box(text)
        assert width >= sum(10 if han(ch) else 6 for ch in text) + 2
        assert height >= 1.3 * 10 + 2
    assert math.isclose(labels.text_px("华峰乡"), 30)
