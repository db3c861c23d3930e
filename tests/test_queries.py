"""The SQL loader, every named query against the tiny snapshot, and bound parameters."""

import datetime as dt
import re
from pathlib import Path

import pytest

from fupin.query.db import base_macros, named_queries
from fupin.query.filters import Filter
from fupin.settings import PROJECT_ROOT
from fupin.store.sql_files import QueryFileError, load_tree, parse, project_queries

YUANQU = ("140827",)

YEAR_2018 = Filter.year_to_date(dt.date(2018, 12, 29), counties=YUANQU)
EXTRA = {"limit": 1000, "offset": 0, "only_failed": False, "search": None, "year": 2018,
         "scope_code": "140827", "metric": "purchase_amount_yuan", "per_type": 5,
         "last_from": dt.date(2017, 1, 1), "last_to": dt.date(2017, 12, 29), "within_days": 60, "idle_days": 30,
         "after_days": 60, "under_pct": 50.0, "outlet": "ZG-001"}
INJECTION = "' OR '1'='1"


def test_parse_reads_purpose_and_params():
    q = parse("x", "-- purpose: Test.\n-- params: $a, $b\nselect $a + $b")
    assert q.purpose == "Test." and q.params == {"a", "b"}


@pytest.mark.parametrize("text, problem", [
    ("select 1", "header"),
    ("-- purpose: x\nselect 1", "header"),
    ("-- purpose: x\n-- params: $a\nselect 1", "declared"),
    ("-- purpose: x\n-- params: none\nselect $a", "declared"),
])
def test_malformed_query_files_are_refused(text, problem):
    with pytest.raises(QueryFileError, match=problem):
        parse("bad", text)


def test_the_loader_refuses_a_malformed_file_in_any_folder(tmp_path):
    (tmp_path / "good.sql").write_text("-- purpose: ok\n-- params: none\nselect 1", encoding="utf-8")
    (tmp_path / "deeper").mkdir()
    (tmp_path / "deeper" / "bad.sql").write_text("select 1", encoding="utf-8")
    with pytest.raises(QueryFileError, match="bad.sql"):
        load_tree(tmp_path)


def test_the_loader_reads_every_folder_and_refuses_a_name_taken_twice(tmp_path):
    for folder in ("purchases", "base"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / f"{folder}_one.sql").write_text("-- purpose: ok\n-- params: none\nselect 1")
    assert {n: q.folder for n, q in load_tree(tmp_path).items()} == {"base_one": "base", "purchases_one": "purchases"}
    (tmp_path / "base" / "purchases_one.sql").write_text("-- purpose: ok\n-- params: none\nselect 2")
    with pytest.raises(QueryFileError, match="purchases_one.sql: the name is taken in base/ too"):
        load_tree(tmp_path)


def test_every_query_lives_in_a_folder_of_its_dataset():
    folders = {q.folder for q in project_queries().values()}
    assert folders == {"purchases", "inspections", "cooperatives", "offers", "products", "summaries", "choices", "base",
                       "ledger", "tasks", "funds", "pairings", "industries"}


def test_every_query_file_has_a_header_and_lowercase_keywords():
    for query in {**named_queries(), **base_macros()}.values():
        assert query.purpose
        assert not re.search(r"\b(SELECT|FROM|WHERE|GROUP BY)\b", query.sql), query.name


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_every_query_runs_on_the_tiny_snapshot(tiny_db, name):
    params = {k: v for k, v in EXTRA.items() if k in named_queries()[name].params}
    frame = tiny_db.run_filtered(name, YEAR_2018, **params)
    assert len(frame.columns) > 0


def test_run_refuses_missing_or_extra_parameters(tiny_db):
    with pytest.raises(TypeError):
        tiny_db.run("purchase_totals", date_from=dt.date(2018, 1, 1))
    with pytest.raises(TypeError):
        tiny_db.run("targets_for_scope", year=2018, counties=["140827"], township=None, extra=1)


@pytest.mark.parametrize("injected", [["140827' or '1'='1"], ["140827", "' or 1=1 --"]])
def test_injection_in_the_counties_returns_no_other_rows(tiny_db, injected):
    flt = Filter(dt.date(2017, 1, 1), dt.date(2018, 12, 31), counties=tuple(injected))
    expected = 0 if len(injected) == 1 else tiny_db.run_filtered(
        "purchase_totals", Filter(dt.date(2017, 1, 1), dt.date(2018, 12, 31), counties=YUANQU))["records"].iloc[0]
    assert tiny_db.run_filtered("purchase_totals", flt)["records"].iloc[0] == expected


@pytest.mark.parametrize("field", ["township", "village", "buyer_type", "product_category"])
def test_injection_in_a_filter_value_returns_no_rows(tiny_db, field):
    flt = Filter(dt.date(2017, 1, 1), dt.date(2018, 12, 31), counties=YUANQU, **{field: "140827" + INJECTION})
    totals = tiny_db.run_filtered("purchase_totals", flt)
    assert totals["records"].iloc[0] == 0
    records = tiny_db.run_filtered("purchase_records", flt, limit=None, offset=0)
    assert records.empty


def test_injection_in_search_returns_no_rows(tiny_db):
    rows = tiny_db.run("cooperative_register", date_to=dt.date(2018, 12, 31), counties=["140827"], township=None, village=None,
                       search=INJECTION, limit=None, offset=0)
    assert rows.empty


def test_totals_match_the_rows(tiny_db, tiny_tables_data):
    p = tiny_tables_data["purchases"]
    in_2018 = p[(p.purchase_date >= dt.date(2018, 1, 1)) & (p.purchase_date <= dt.date(2018, 12, 29))]
    totals = tiny_db.run_filtered("purchase_totals", YEAR_2018).iloc[0]
    assert totals["records"] == len(in_2018)
    assert totals["amount_yuan"] == pytest.approx(in_2018.amount_yuan.sum())
    assert totals["poor_village_weight_kg"] == pytest.approx(in_2018[in_2018.from_poor_village].weight_kg.sum())


def test_township_filter_narrows_every_purchase_query(tiny_db, tiny_tables_data):
    flt = Filter.year_to_date(dt.date(2018, 12, 29), counties=YUANQU, township="140827203")
    by_township = tiny_db.run_filtered("purchase_by_township", flt)
    assert set(by_township.loc[by_township.amount_yuan > 0, "township_code"]) == {"140827203"}
    total = tiny_db.run_filtered("purchase_totals", flt)["amount_yuan"].iloc[0]
    figures = tiny_db.run_filtered("purchase_figures", flt, last_from=dt.date(2017, 1, 1), last_to=dt.date(2017, 12, 29))
    for part in ("month", "channel", "buyer_type", "township"):
        now = figures[(figures["part"] == part) & (figures["period"] == "now")]
        assert now["amount_yuan"].sum() == pytest.approx(total), part
    assert tiny_db.run_filtered("purchase_by_village", flt)["amount_yuan"].sum() == pytest.approx(total)
    records = tiny_db.run_filtered("purchase_records", flt, limit=None, offset=0)
    assert records["amount_yuan"].sum() == pytest.approx(total)


def test_records_are_paged(tiny_db):
    first = tiny_db.run_filtered("purchase_records", YEAR_2018, limit=10, offset=0)
    second = tiny_db.run_filtered("purchase_records", YEAR_2018, limit=10, offset=10)
    assert len(first) == 10 and not set(first.purchase_id) & set(second.purchase_id)


def test_cooperative_stock_counts_deregistrations(tiny_db, tiny_tables_data):
    c = tiny_tables_data["cooperatives"]
    as_of = dt.date(2018, 12, 29)
    alive = c[(c.registered_date <= as_of) & (c.deregistered_date.isna() | (c.deregistered_date > as_of))]
    totals = tiny_db.run_filtered("cooperative_totals", YEAR_2018).iloc[0]
    assert totals["cooperatives_total"] == len(alive)
    by_year = tiny_db.run("cooperative_by_year", date_to=as_of, counties=["140827"], township=None, village=None)
    assert by_year.set_index("year").loc[2018, "stock"] == len(alive)


def test_every_query_file_is_used_and_every_used_name_exists():
    sources = "\n".join(p.read_text(encoding="utf-8") for folder in ("fupin", "pages")
                        for p in (PROJECT_ROOT / folder).rglob("*.py"))
    sources += (PROJECT_ROOT / "app.py").read_text(encoding="utf-8") if (PROJECT_ROOT / "app.py").exists() else ""
    used = set(re.findall(r"""(?:run(?:_filtered|_query|_cached)?|call)\(\s*["']([a-z_]+)["']""", sources))
    assert used <= set(named_queries()), f"unknown queries: {used - set(named_queries())}"
    assert set(named_queries()) <= used, f"unused query files: {set(named_queries()) - used}"
    # A macro is used when a named query reaches it, directly or through other macros.
    reached, texts = set(), [q.sql for q in named_queries().values()]
    while texts:
        found = {name for name in base_macros() if name not in reached and any(name in t for t in texts)}
        reached |= found
        texts = [base_macros()[name].sql for name in found]
    assert reached == set(base_macros()), f"unused macros: {set(base_macros()) - reached}"
    assert Path(PROJECT_ROOT / "queries").is_dir()
