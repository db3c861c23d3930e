"""What a leader reads, in a real browser at 1366 px (issue 23): every page (任务与投入 and 产品与渠道 too) in English
says nothing in Chinese but the data's own names and cuts no label short; a group's cumulative chart ticks in its
unit (no "25k") with months written one way and no second January; the 合作社 chart's right axis ticks in round whole numbers.

One Streamlit server on the session's demo snapshots (read only) for the module; the session's Chromium.
"""

import re

import pytest
from browser import Visitor, streamlit_server
from conftest import own_data_folder

from fupin.settings import PROJECT_ROOT
from fupin.store.snapshot import read_table

pytestmark = [pytest.mark.browser, pytest.mark.server]

OFFICE_LAPTOP = {"width": 1366, "height": 768}
TO = "to=2018-12-29"
# Every page (任务与投入 and 产品与渠道 on a place and year whose registers hold rows; the others on TO).
PAGES = ["/", "/purchases", "/inspections", "/cooperatives", "/warnings", "/briefing", "/import", "/?scope=samr",
         "/plan?scope=220302&to=2020-12-31", "/products?to=2020-12-31"]
HAN = re.compile(r"[\u4e00-\u9fff]+")
# Chinese an English page may show that is not data: the language switch's own name.
OWN_NAMES = {"中文"}
# The data's names, by table: places, groups, companies, suppliers, people to call, products, venues.
NAME_COLUMNS = {"counties": ("county_name", "city_name", "province_name"), "groups": ("group_name",),
                "townships": ("township_name",), "villages": ("village_name",), "buyers": ("buyer_name",),
                "purchases": ("supplier_name", "product_name"), "cooperatives": ("cooperative_name",),
                "inspections": ("product_name", "venue_name"),
                "offers": ("supplier_name", "product_name", "contact_name"),
                "certified_products": ("product_name", "supplier_name"), "outlets": ("outlet_name", "operator", "host"),
                "events": ("event_name", "place", "organiser"), "channel_sales": ("buyer_name",),
                # A plan's own words (its name, sections, tasks, units and notes) and the units, donors and projects
                # of the registers beside it are data too.
                "tasks": ("plan_name", "plan_issuer", "section", "task_text", "lead_units", "support_units",
                          "progress_note", "evidence"),
                "help_funds": ("source_name", "project"), "pairings": ("unit_name",), "visits": ("unit_name", "note"),
                "industries": ("project", "scale_unit")}

# The text a person sees: the page's own, the charts' (SVG) and the tables' (their accessible copy of the cells);
# and every element that cuts its visible text with an ellipsis.
SEEN_JS = """() => {
    const shown = e => e.checkVisibility();
    return {
        text: [document.querySelector('[data-testid="stApp"]').innerText,
               ...[...document.querySelectorAll('[data-testid="stPlotlyChart"] svg text')].filter(shown)
                   .map(t => t.textContent),
               ...[...document.querySelectorAll('[data-testid="stDataFrame"]')].filter(shown)
                   .flatMap(d => [...d.querySelectorAll('th, td')].map(c => c.textContent))],
        cut: [...document.querySelectorAll('body *')]
            .filter(e => shown(e) && e.textContent.trim() && getComputedStyle(e).textOverflow === 'ellipsis'
                    && e.scrollWidth > e.clientWidth + 1)
            .map(e => e.textContent.trim()),
    };
}"""
TICKS_JS = """(key) => [...document.querySelectorAll(`.st-key-${key} .js-plotly-plot`)].flatMap(gd =>
    ['xtick', 'ytick', 'y2tick'].map(axis => [axis, [...gd.querySelectorAll(`.${axis} text`)].map(t => t.textContent)]))"""


@pytest.fixture(scope="module")
def app_url(demo_store, tmp_path_factory):
    folder = own_data_folder(demo_store, tmp_path_factory.mktemp("presentation_data"))
    with streamlit_server(PROJECT_ROOT, folder, tmp_path_factory.mktemp("presentation_log") / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="module")
def data_names(demo_store) -> set[str]:
    """Every name the demo's data holds, as the runs of Chinese characters it is written with."""
    snapshot = demo_store.current()
    names = set()
    for table, columns in NAME_COLUMNS.items():
        frame = read_table(snapshot, table).select(list(columns)).to_pandas()
        for column in columns:
            names |= {run for value in frame[column].dropna().unique() for run in HAN.findall(str(value))}
    return names


@pytest.fixture
def visitor(chromium, app_url):
    guest = Visitor(chromium, app_url, OFFICE_LAPTOP)
    yield guest
    guest.context.close()
    assert guest.blocked == [] and guest.page_errors == []


def made_of_names(run: str, names: set[str], prefixes: set[str]) -> bool:
    """Whether a run of Chinese is names side by side (礼县中坝镇…), the last one perhaps cut short on a map."""
    ends = {0}
    for end in range(1, len(run) + 1):
        if any(run[start:end] in names for start in ends if start < end):
            ends.add(end)
    return len(run) in ends or any(run[start:] in prefixes for start in ends)


@pytest.fixture(scope="module")
def english(chromium, app_url):
    """Every page in English at 1366 px, visited once: what it shows, what it cuts short, and its charts' ticks."""
    guest = Visitor(chromium, app_url, OFFICE_LAPTOP)
    seen = {}
    try:
        for path in PAGES:
            dated = path if "to=" in path else f"{path}{'&' if '?' in path else '?'}{TO}"
            page = guest.open(f"{dated}&lang=en")
            seen[path] = {**page.evaluate(SEEN_JS),
                          **{key: dict(page.evaluate(TICKS_JS, key)) for key in ("chart_schedule", "chart_years")}}
            page.close()
    finally:
        guest.context.close()
    assert guest.blocked == [] and guest.page_errors == []
    return seen


def test_every_page_in_english_shows_chinese_only_in_data_names(english, data_names):
    prefixes = {name[:n] for name in data_names for n in range(1, len(name))}
    allowed = data_names | OWN_NAMES
    found = {path: sorted({run for text in shown["text"] for run in HAN.findall(text)
                           if not made_of_names(run, allowed, prefixes)}) for path, shown in english.items()}
    assert {path: runs for path, runs in found.items() if runs} == {}, "Chinese words that are not data names"
    assert "中文" in english["/"]["text"][0], "the check sees the page's text"


def test_no_label_is_cut_short_at_1366_px(english):
    assert {path: shown["cut"] for path, shown in english.items() if shown["cut"]} == {}, "cut by an ellipsis"


def test_a_groups_cumulative_chart_ticks_in_its_unit_and_months_one_way(english):
    ticks = english["/?scope=samr"]["chart_schedule"]
    assert ticks["xtick"] == ["2018-01", "2018-04", "2018-07", "2018-10"], "and no second January at the end"
    assert ticks["ytick"] and not [t for t in ticks["ytick"] if re.search(r"\d[kKM]$", t)], ticks["ytick"]
    assert float(ticks["ytick"][-1].replace(",", "")) < 10, "the group's 1.6亿元 in ×100M yuan, not 16k ×10k yuan"


def test_the_cooperatives_right_axis_ticks_in_round_whole_numbers(english):
    right = [int(t.replace(",", "")) for t in english["/cooperatives"]["chart_years"]["y2tick"]]
    steps = {b - a for a, b in zip(right, right[1:])}
    assert len(right) >= 3 and len(steps) == 1, right
    step = steps.pop()
    assert step / 10 ** (len(str(step)) - 1) in (1, 2, 5), f"ticks {right}: not 104, 207, 311…"
