"""The plan behind the figures in the demo, checked at the seeds' precision through the brief, the attention list and
the page data: 铁西区's tasks as seed 002 writes them, the regulator's funds, donors, pairings and visits (seed 001),
商州区's 2019 industries and support items (seed 004)."""

import datetime as dt
import json

import pandas as pd
import pytest
from conftest import run_cli

from fupin.demo import tiexi_tasks
from fupin.query import scope
from fupin.query.filters import Filter
from fupin.report import attention, brief, tasks_inputs
from fupin.store.snapshot import read_table
from fupin.text import i18n
from fupin.text.export import readable

END_2020 = dt.date(2020, 12, 31)
END_2019 = dt.date(2019, 12, 31)
TIEXI, SHANGZHOU = "220302", "611002"
SAMR = ("230881", "230883", "621226")


def brief_of(db, code: str, day: dt.date) -> dict:
    chosen = scope.find(db, code)
    flt = Filter.year_to_date(day, counties=chosen.counties)
    return brief.build(db, flt, chosen.code, chosen.name, county_names=scope.county_names(db))


@pytest.fixture(scope="module")
def tiexi(demo_db) -> dict:
    return brief_of(demo_db, TIEXI, END_2020)


@pytest.fixture(scope="module")
def samr(demo_db) -> dict:
    return brief_of(demo_db, "samr", END_2020)


@pytest.fixture(scope="module")
def shangzhou(demo_db) -> dict:
    return brief_of(demo_db, SHANGZHOU, END_2019)


def test_the_plan_is_seed_002_as_written(demo_store):
    tasks = read_table(demo_store.current(), "tasks").to_pandas()
    tasks = tasks[tasks["county_code"] == TIEXI]
    first = tasks.sort_values("update_date").groupby("task_no").head(1).set_index("task_no")
    # 46 numbered 1 to 46, and the last one numbered 51 as the plan prints it
    assert sorted(first.index) == [*range(1, 47), 51]
    assert set(first["plan_name"]) == {"铁西区关于深入开展消费扶贫助力打赢脱贫攻坚战实施方案"}
    assert set(first["plan_issuer"]) == {"四平市铁西区人民政府办公室"}
    assert set(first["plan_issued_on"]) == {dt.date(2019, 12, 7)}
    sections = first.groupby("section").size().to_dict()
    assert sections == {"(一)动员社会各界广泛参与,形成消费扶贫新格局": 10, "(二)努力拓宽贫困村农产品流通和销售渠道": 10,
                        "(三)努力提升贫困村农产品供给水平和质量": 6, "(四)提升贫困村休闲农业和乡村旅游水平": 13,
                        "三、保障措施": 8}
    assert first.at[17, "task_text"].startswith("建立贫困村农产品滞销预警机制")
    assert first.at[45, "task_text"].startswith("探索建立消费扶贫台账")
    units = {n: (first.at[n, "lead_units"], first.at[n, "support_units"] if pd.notna(first.at[n, "support_units"])
                 else None) for n in (1, 6, 30, 33, 37, 40)}
    assert units == {1: ("区扶贫办", "平西乡人民政府"), 6: ("区教育局、区卫健局、区金融办", "平西乡人民政府"),
                     30: ("区农业农村局、区文旅局", "平西乡人民政府"), 33: ("平西乡人民政府", None),
                     37: ("区文旅局、区农业农村局", "各县(市)区人民政府"),
                     40: ("区发改局、区扶贫办、区农业农村局、区商务局、区文旅局、区财政局", None)}
    assert len(tiexi_tasks.TASKS) == 47


def test_tiexis_tasks_on_the_last_day_of_2020(demo_store, tiexi):
    tasks = tiexi["tasks"]
    assert tasks["total"] == 47 and sum(tasks["by_status"].values()) == 47
    rows = read_table(demo_store.current(), "tasks").to_pandas()
    latest = rows.sort_values("update_date").groupby("task_no").tail(1)
    overdue = latest[~latest["long_term"] & (latest["due_on"] < END_2020) & (latest["status"] != "done")]
    assert tasks["overdue"] == len(overdue) > 0
    assert sorted(t["task_no"] for t in tasks["overdue_tasks"]) == sorted(overdue["task_no"])
    assert tasks["by_status"]["done"] == tasks["done"] == (latest["status"] == "done").sum()
    stale = latest[(latest["status"] != "done") & ((END_2020 - latest["update_date"]).map(lambda d: d.days) > 30)]
    assert tasks["stale"] == len(stale) > 0
    assert tasks["done_late"] > 0, "some tasks finish late"
    assert tasks["plans"] == [{"county_code": TIEXI, "plan_name": "铁西区关于深入开展消费扶贫助力打赢脱贫攻坚战实施方案",
                               "plan_issuer": "四平市铁西区人民政府办公室", "plan_issued_on": "2019-12-07", "tasks": 47}]


def test_the_attention_list_names_overdue_tasks_by_lead_unit(tiexi):
    items = [a for a in tiexi["attention"] if a["kind"] == "overdue_tasks"]
    lines = [line for line in tiexi["attention_lines"]["zh"] if "逾期未完成任务" in line]
    assert 0 < len(items) <= attention.TOP_PER_KIND and len(lines) == len(items)
    overdue_units = {u for t in tiexi["tasks"]["overdue_tasks"] for u in t["lead_units"].split("、")}
    assert {a["scope_name"] for a in items} == {tiexi["scope_name"]}
    for item, line in zip(items, lines):
        unit = line.split("逾期未完成任务")[0].split(". ", 1)[-1]
        assert unit in overdue_units and item["link"].startswith("/plan?") and "tasks=overdue" in item["link"]
        assert all(unit in d["lead_units"].split("、") for d in item["details"])
        assert all(f"{d['task_no']}" in line for d in item["details"][:5])
    named = len(items) + sum(int(n) for n in [note.split("另有")[1].split("个")[0]
                                             for note in tiexi["attention_notes"]["zh"] if "逾期" in note])
    assert named == len(overdue_units)
    assert any(a["kind"] == "stale_tasks" and a["value"] == tiexi["tasks"]["stale"] for a in tiexi["attention"])


def test_the_regulators_funds_donors_pairings_and_visits(samr):
    funds = samr["help_funds"]
    assert abs(funds["direct_yuan"] - 44_590_000) <= 5_000
    assert abs(funds["raised_yuan"] - 268_070_000) <= 5_000
    assert round(funds["donations_yuan"] / 1e8, 2) == 1.23
    assert funds["donors"] == 398
    assert funds["industry_investment_yuan"] == 700_000_000
    assert funds["first_month"] == "2018-01"
    pairings = samr["pairings"]
    assert (pairings["units"], pairings["townships"]) == (68, 49)
    assert pairings["two_to_one"] + pairings["one_to_one"] == 49 and 49 + pairings["two_to_one"] == 68
    assert samr["visits"] == 114 == sum(pairings["visits_by_year"].values())
    assert set(pairings["visits_by_year"]) == {2019, 2020}
    assert samr["tasks"] is None and samr["industries"] is None


def test_paired_townships_are_the_designated_counties_xiang_and_zhen(demo_db):
    towns = demo_db.run("pairing_townships", counties=list(SAMR), township=None, date_to=END_2020)
    paired = towns[towns["paired_units"] > 0]
    assert paired["township_code"].str[6:].astype(int).between(100, 399).all()
    unpaired = towns[towns["paired_units"] == 0]
    assert len(unpaired) == len(towns) - 49 and not unpaired["township_code"].str[6:].astype(int).between(100, 399).any()


def test_townships_without_a_visit_this_year_are_listed_per_county(demo_store, samr):
    visits = read_table(demo_store.current(), "visits").to_pandas()
    pairings = read_table(demo_store.current(), "pairings").to_pandas()
    visited = set(visits.loc[visits["visit_date"] >= dt.date(2020, 1, 1), "township_code"])
    waiting = set(pairings["township_code"]) - visited
    items = [a for a in samr["attention"] if a["kind"] == "unvisited_townships"]
    listed = {d["township_code"] for a in items for d in a["details"]}
    omitted = sum(int(n.split("另有")[1].split("个")[0]) for n in samr["attention_notes"]["zh"] if "帮扶活动" in n)
    assert waiting and listed <= waiting and (listed == waiting or omitted)
    assert all("pairs=unvisited" in a["link"] and "county=" in a["link"] for a in items)
    assert len(samr["pairings"]["townships_without_visit_this_year"]) == len(waiting)


def test_shangzhous_industries_and_support_items_of_2019(shangzhou):
    industries = shangzhou["industries"]
    pv = industries["光伏"]
    assert (pv["poor_households"], pv["facilities"], pv["villages"]) == (20_547, 60, 124)
    assert pv["scale"] == {"MW": 62.7}
    fungi = industries["食用菌"]
    assert fungi["poor_households"] == 16_322 and 8_000 <= fungi["scale"]["万袋"] < 8_100
    assert industries["菊芋"]["farm_households"] == 30_000 and industries["菊芋"]["scale"] == {"亩": 42_000}
    assert industries["劳务"]["people_employed"] == 34_693
    assert {f["year"] for f in industries.values()} == {2019}
    assert industries["劳务"]["poor_households"] is None, "the seed gives none: absent, not 0"
    funds = shangzhou["help_funds"]
    assert funds["direct_yuan"] == pytest.approx(840_000_000, abs=0.005) and funds["items"] == 64


def test_the_brief_reads_the_plan_paragraphs_only_where_there_is_a_plan(demo_db, tiexi, samr, shangzhou):
    assert "任务进展：《铁西区关于深入开展消费扶贫助力打赢脱贫攻坚战实施方案》" in brief.render_text(tiexi)
    assert "共47项任务" in brief.render_text(tiexi) and "Tasks: 47 tasks" in brief.render_text_en(tiexi)
    text = brief.render_text(samr)
    assert "帮扶投入：" in text and "68个单位与49个乡镇结对帮扶" in text and "累计开展结对帮扶活动114次" in text
    assert "398家企业和社会组织捐赠款物1.23亿元" in text
    assert "光伏建成60个、62.7MW，覆盖124个村，带动贫困户20547户" in brief.render_text(shangzhou)
    yuanqu = brief_of(demo_db, "140827", dt.date(2018, 12, 29))
    assert all(yuanqu[key] is None for key in ("tasks", "help_funds", "pairings", "visits", "industries"))
    assert "任务进展" not in brief.render_text(yuanqu) and "帮扶投入" not in brief.render_text(yuanqu)


def test_a_township_brief_covers_the_tasks_naming_it(demo_db):
    flt = Filter.year_to_date(END_2020, counties=(TIEXI,), township="220302200")
    figures = tasks_inputs.brief_figures(demo_db, flt)
    assert 0 < figures["tasks"]["total"] < 47, "平西乡人民政府 is named in most tasks, not all"
    other = Filter.year_to_date(END_2020, counties=(TIEXI,), township="220302001")
    assert tasks_inputs.brief_figures(demo_db, other)["tasks"] is None


def test_units_with_overdue_tasks_come_first(demo_db):
    by_unit = tasks_inputs.tasks(demo_db, Filter.year_to_date(END_2020, counties=(TIEXI,))).by_unit()
    assert list(by_unit["overdue"]) == sorted(by_unit["overdue"], reverse=True)
    assert by_unit["tasks"].sum() > 47, "a task with several lead units counts for each"
    assert set(by_unit["unit"]) >= {"区商务局", "区扶贫办", "平西乡人民政府", "市场监管分局"}
    several = by_unit[by_unit["overdue"] > 1].iloc[0]
    english = readable(by_unit, "en").set_index(i18n.column("unit", "en"))
    listed = english.loc[several["unit"], i18n.column("overdue_tasks", "en")]
    assert listed == several["overdue_tasks"].replace("、", ", ") and ", " in listed, "numbers read as a list in English"


def test_the_cli_brief_lists_the_tasks_in_json(demo_store):
    result = run_cli("brief", "--scope", TIEXI, "--as-of", "2020-12-31", "--format", "json", data=demo_store.root)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["tasks"]["total"] == 47 and found["visits"] is None
    assert any(a["kind"] == "overdue_tasks" for a in found["attention"])
    assert isinstance(found["tasks"]["by_unit"][0]["overdue"], int)


def test_the_funds_add_up_the_same_by_kind_purpose_county_and_month(demo_db):
    funds = tasks_inputs.funds(demo_db, Filter.year_to_date(END_2020, counties=SAMR))
    total = funds.sums()["total_yuan"]
    for column in ("fund_kind", "purpose", "county_code"):
        assert funds.by(column)["amount_yuan"].sum() == pytest.approx(total)
    monthly = funds.monthly()
    assert monthly.drop(columns="month").to_numpy().sum() == pytest.approx(total)
    assert pd.to_datetime(monthly["month"]).is_monotonic_increasing
    period = tasks_inputs.funds(demo_db, Filter.year_to_date(END_2020, counties=SAMR), cumulative=False)
    assert 0 < period.sums()["total_yuan"] < total
