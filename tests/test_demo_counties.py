"""The multi-county demo: seed 001's 10356万元, each county on its own codes and years, sizes and seasons by county,
垣曲 unchanged, and the same rows for the same seed."""

import hashlib
import os
import subprocess
import sys

import duckdb
import numpy as np
import pandas as pd
import pytest

from fupin.demo import COUNTY_SETS, county_codes
from fupin.demo.county import build_county
from fupin.demo.county_purchases import county_chunks, year_rows
from fupin.query.db import table_source
from fupin.settings import PROJECT_ROOT
from fupin.store import reference
from fupin.store.credit_code import is_cooperative_code
from fupin.store.schema import CHANNEL_OF_BUYER_TYPE, CHANNELS, METRICS, TABLES

YUANQU, LIXIAN, FUYUAN, TONGJIANG, SHANGZHOU, TIEXI = COUNTY_SETS["default"]
SAMR = {LIXIAN, FUYUAN, TONGJIANG}
# The rural counties the shares below are about: 铁西区 (one 乡 of 20 villages among 40 urban communities) is too small
# for them; its own test is test_tiexi_is_a_small_district.
RURAL = (YUANQU, LIXIAN, FUYUAN, TONGJIANG, SHANGZHOU)
FACT_TABLES = ("purchases", "inspections", "cooperatives", "targets")
DATED = {"purchases": "purchase_date", "inspections": "sample_date"}
# 垣曲's rows of the default demo (seed 42, scale 1), ordered by every column: sha256 of their repr.
YUANQU_DIGESTS = {
    "purchases": "877001ed02769a01e8469c10308d6ec556dc85f4a2edf908df43343178eb8d4c",
    "inspections": "84f02901a5817864b87d11c5715044bcb6f4f70e3616271a8c626f543c0980bd",
    "cooperatives": "385b47f36837d06e5e450bec1cfbe312e834cce3ee9388f628b8290d519e8b7b",
    "targets": "eed3f60d2ccb2a6c4ce38954feb1c04bc5c5c241648b812656b047c138c188d0",
    "villages": "7dc15dae6c2114b52351353f332e64e2dc158558a154dd1c0c2d2b766dd0f132",
    "buyers": "2fe4698564bf2a3fae9553e32c48775874062a23214ae8587fdc47c2bfb952a7",
    "townships": "4fad70b4169718848a92df34783d54dfd1dbc1f119038538647d6f0310dab54c",
}
# The same, without the credit codes, as the 垣曲-only generator before the multi-county demo wrote them (commit
# 614f664; it drew the same codes but gave them to cooperatives in an order that changed with PYTHONHASHSEED).
YUANQU_BEFORE = {
    ("purchases", "supplier_credit_code"): "4606c3a843b8fec19207e1529443f1e99bc841a3b92421ac7c0365aae9865b3f",
    ("cooperatives", "credit_code"): "20611dadfab02c0306d3200eaf84c101142a4c514af0a0c701042b6913adf4e2",
}


@pytest.fixture(scope="module")
def built(demo_build):
    """The default demo at scale 1, seed 42 (the snapshot it wrote), with the progress messages it reported."""
    _, snapshot, reports = demo_build
    return snapshot, reports


@pytest.fixture(scope="module")
def con(built):
    """DuckDB over the snapshot's Parquet files, one view per table."""
    snapshot, _ = built
    connection = duckdb.connect()
    for name in TABLES:   # the schema's columns in its order (a partitioned table's view adds `year`)
        columns = ", ".join(TABLES[name].names)
        connection.execute(f"create view {name} as select {columns} from ({table_source(snapshot, name)})")
    yield connection
    connection.close()


def rows(con, sql: str, **params) -> pd.DataFrame:
    return con.execute(sql, params).df()


def digest(con, table: str, county: str, exclude: str | None = None) -> str:
    columns = f"* exclude ({exclude})" if exclude else "*"
    found = con.execute(f"select {columns} from {table} where county_code = $county order by all",
                        {"county": county}).fetchall()
    return hashlib.sha256(repr(found).encode()).hexdigest()


def test_designated_purchases_add_up_to_seed_001s_10356_wan(con):
    total = con.execute("select sum(amount_yuan) from purchases where channel = 'designated'").fetchone()[0]
    assert round(total / 1e4) == 10356


def test_designated_channel_only_in_the_regulators_counties(con):
    found = set(rows(con, "select distinct county_code from purchases where channel = 'designated'")["county_code"])
    group = set(rows(con, "select county_code from groups where group_code = 'samr'")["county_code"])
    assert found == group == SAMR


def test_designated_split_grows_by_year_and_follows_county_size(con):
    split = rows(con, """select county_code, year(purchase_date) as year, sum(amount_yuan) as amount_yuan,
                                min(purchase_date) as first_day
                         from purchases where channel = 'designated' group by all""")
    by = split.pivot(index="county_code", columns="year", values="amount_yuan")
    assert list(by.columns) == [2018, 2019, 2020]
    assert (by[2018] < by[2019]).all() and (by[2019] < by[2020]).all()
    assert by.sum(axis=1).idxmax() == LIXIAN        # 579 villages against 114 and 157
    assert split.loc[split["year"] == 2018, "first_day"].min() >= pd.Timestamp("2018-04-01")   # formed in March 2018


def test_designated_rows_are_the_regulators_buyers(con):
    found = rows(con, """select distinct p.buyer_type, b.buyer_name from purchases as p
                         join buyers as b on b.buyer_id = p.buyer_id where p.channel = 'designated'""")
    assert found["buyer_name"].str.contains("市场监督管理总局|市场监管总局|中国").all()
    assert "国家市场监督管理总局机关服务局" in set(found["buyer_name"])
    assert {"canteen", "other", "ecommerce"} == set(found["buyer_type"])


def test_each_county_has_data_only_in_its_years(con):
    for table, column in DATED.items():
        years = rows(con, f"select county_code, list(distinct year({column}) order by year({column})) as years "
                          f"from {table} group by county_code")
        expected = {c: ([2016, 2017, 2018, 2019, 2020] if c == YUANQU else [2018, 2019, 2020])
                    for c in COUNTY_SETS["default"]}
        assert dict(zip(years["county_code"], years["years"].map(list))) == expected, table
    targets = rows(con, "select county_code, min(year) as first, max(year) as last from targets group by all")
    assert dict(zip(targets["county_code"], zip(targets["first"], targets["last"]))) == {
        c: (2016 if c == YUANQU else 2018, 2020) for c in COUNTY_SETS["default"]}


@pytest.fixture(scope="module")
def reference_villages(con):
    """The reference villages and townships of the default counties, as views `ref_villages`, `ref_townships`."""
    codes = COUNTY_SETS["default"]
    con.register("ref_villages", reference.villages(codes))
    con.register("ref_townships", reference.townships(codes))


def test_purchases_lie_on_their_countys_codes_of_the_years_edition(con, reference_villages):
    wrong = rows(con, """
        select p.county_code, year(p.purchase_date) as year, p.township_code, p.village_code
        from (select distinct county_code, purchase_date, township_code, village_code from purchases) as p
        left join ref_villages as v
          on v.village_code = p.village_code and v.county_code = p.county_code
         and v.township_code = p.township_code
         and contains(v.editions, case when year(p.purchase_date) >= 2020 then '2020' else '2018' end)
        left join ref_townships as t
          on t.township_code = p.township_code and year(p.purchase_date) between t.first_year and t.last_year
        where v.village_code is null or t.township_code is null""")
    assert wrong.empty, wrong.head()


def test_inspections_and_cooperatives_lie_on_their_countys_codes(con, reference_villages):
    inspections = rows(con, """
        select i.* from inspections as i left join ref_townships as t
          on t.township_code = i.township_code and t.county_code = i.county_code
         and year(i.sample_date) between t.first_year and t.last_year
        where t.township_code is null""")
    assert inspections.empty, inspections.head()
    cooperatives = rows(con, """
        select c.* from cooperatives as c left join ref_villages as v
          on v.village_code = c.village_code and v.township_code = c.township_code and v.county_code = c.county_code
         and contains(v.editions, case when year(c.registered_date) >= 2020 then '2020' else '2018' end)
        where v.village_code is null""")
    assert cooperatives.empty, cooperatives.head()


def test_poor_village_flag_is_the_villages_own(con):
    mismatched = rows(con, """select count(*) as n from purchases as p join villages as v using (village_code)
                              where p.from_poor_village <> v.is_poor_village""")
    assert mismatched["n"][0] == 0
    share = rows(con, """select county_code, avg(is_poor_village::int) as share from villages
                         where village_name like '%村%' and not regexp_matches(village_name, '居委会|居民委员会')
                           and county_code <> $tiexi
                         group by all""", tiexi=TIEXI).set_index("county_code")["share"]
    assert share.between(0.25, 0.55).all(), share


def test_sizes_differ_per_county_and_grow(con):
    totals = rows(con, """select county_code, year(purchase_date) as year, sum(amount_yuan) as amount_yuan
                          from purchases where year(purchase_date) >= 2018 and county_code <> $tiexi group by all""",
                  tiexi=TIEXI)
    by = totals.pivot(index="county_code", columns="year", values="amount_yuan")
    assert (by[2018] < by[2019]).all() and (by[2019] < by[2020]).all()
    assert by[2018].max() / by[2018].min() > 3
    villages = rows(con, """select county_code, count(*) as villages from villages
                            where contains(editions, '2018') and county_code <> $tiexi group by all""",
                    tiexi=TIEXI).set_index("county_code")["villages"]
    per_village = by[2018] / villages
    assert per_village.between(5e4, 4e5).all(), per_village       # the same order as 垣曲's 22万元
    assert per_village.round(-3).nunique() == len(per_village)


def test_fuyuans_harvest_is_short_and_shangzhous_has_two_seasons(con):
    shares = rows(con, """
        select county_code,
               sum(amount_yuan) filter (where month(purchase_date) between 8 and 10) / sum(amount_yuan) as aug_oct,
               sum(amount_yuan) filter (where month(purchase_date) in (12, 3, 4)) / sum(amount_yuan) as winter,
               sum(amount_yuan) filter (where month(purchase_date) in (4, 5)) / sum(amount_yuan) as spring
        from purchases where county_code in ($fuyuan, $shangzhou) group by all""",
                  fuyuan=FUYUAN, shangzhou=SHANGZHOU).set_index("county_code")
    assert shares.at[FUYUAN, "aug_oct"] > 0.6
    assert shares.at[FUYUAN, "aug_oct"] > shares.at[SHANGZHOU, "aug_oct"] + 0.25
    assert shares.at[FUYUAN, "winter"] < 0.08
    assert shares.at[SHANGZHOU, "spring"] > 2 * shares.at[FUYUAN, "spring"]


def test_products_follow_the_region(con):
    top = rows(con, """select county_code, product_name from purchases group by county_code, product_name
                       qualify row_number() over (partition by county_code order by sum(amount_yuan) desc) <= 4""")
    top = top.groupby("county_code")["product_name"].apply(set)
    assert "大米" in top[TONGJIANG] and "大米" in top[FUYUAN]
    assert "苹果" in top[LIXIAN]
    assert top[SHANGZHOU] & {"茶叶", "魔芋", "香菇", "猕猴桃", "富硒大米", "板栗", "菊芋"}


def test_every_purchase_column_is_filled(con):
    nulls = rows(con, "select " + ", ".join(f"count(*) filter (where {c} is null) as {c}"
                                            for c in TABLES["purchases"].names if c != "supplier_credit_code")
                 + " from purchases")
    assert (nulls.iloc[0] == 0).all(), nulls.T
    assert set(rows(con, "select distinct supplier_type from purchases where county_code <> $y", y=YUANQU)
               ["supplier_type"]) == {"poor_household", "cooperative", "village_collective", "farmer", "enterprise"}
    channels = rows(con, "select distinct buyer_type, channel from purchases where channel <> 'designated'")
    assert all(CHANNEL_OF_BUYER_TYPE[b] == c for b, c in zip(channels["buyer_type"], channels["channel"]))
    assert set(rows(con, "select distinct channel from purchases")["channel"]) <= set(CHANNELS)


def test_cooperative_suppliers_are_registered_in_business_and_local(con):
    bad = rows(con, """
        select p.county_code, p.supplier_credit_code, p.purchase_date from purchases as p
        left join cooperatives as c
          on c.credit_code = p.supplier_credit_code and c.county_code = p.county_code
         and year(c.registered_date) <= year(p.purchase_date)
         and (c.deregistered_date is null or year(c.deregistered_date) >= year(p.purchase_date))
        where p.supplier_type = 'cooperative' and c.credit_code is null""")
    assert bad.empty, bad.head()
    assert rows(con, "select count(*) as n from purchases where supplier_type <> 'cooperative' "
                     "and supplier_credit_code is not null")["n"][0] == 0


def test_buyers_are_unique_and_named_after_their_county(con):
    buyers = rows(con, "select * from buyers")
    assert buyers["buyer_id"].is_unique
    names = dict(zip(reference.counties()["county_code"], reference.counties()["county_name"]))
    own = buyers[(buyers["county_code"] != YUANQU) & buyers["township_code"].notna()]
    assert all(names[c] in n for c, n in zip(own["county_code"], own["buyer_name"]))
    unknown = rows(con, """select count(*) as n from purchases as p left join buyers as b
                           on b.buyer_id = p.buyer_id and b.buyer_type = p.buyer_type and b.county_code = p.county_code
                           where b.buyer_id is null""")
    assert unknown["n"][0] == 0


def test_ids_are_unique_across_the_snapshot(con):
    for table, key in (("purchases", "purchase_id"), ("inspections", "inspection_id")):
        n, distinct, low, high = con.execute(
            f"select count(*), count(distinct {key}), min({key}), max({key}) from {table}").fetchone()
        assert n == distinct == high and low == 1, table


def test_inspections_have_failures_in_every_county_and_year(con):
    found = rows(con, """
        select county_code, year(sample_date) as year, inspection_type, count(*) as batches,
               count(*) filter (where result = 'fail') as failed,
               count(*) filter (where (result = 'fail') <> (failed_item is not null)) as inconsistent
        from inspections where year(sample_date) >= 2018 group by all""")
    assert len(found) == len(COUNTY_SETS["default"]) * 3 * 2
    assert (found["inconsistent"] == 0).all()
    assert found[found["county_code"].isin(RURAL)].groupby(["county_code", "year"])["failed"].sum().min() > 0


def test_cooperative_registers_sized_by_villages(con):
    register = rows(con, "select * from cooperatives")
    assert register["credit_code"].is_unique
    assert register["credit_code"].map(is_cooperative_code).all()
    assert (register["credit_code"].str[2:8] == register["county_code"]).all()
    assert (register["poor_household_members"] <= register["members"]).all()
    closed = register.dropna(subset=["deregistered_date"])
    assert (closed["deregistered_date"] > closed["registered_date"]).all()
    per_county = register.groupby("county_code").agg(total=("credit_code", "size"),
                                                     closed=("deregistered_date", "count"))
    assert (per_county["closed"] > 0).all()
    rural = per_county.loc[list(RURAL)]
    assert rural["total"].idxmax() == LIXIAN and rural["total"].idxmin() == FUYUAN


def test_targets_for_every_county_and_township_some_ahead_some_behind(con):
    targets = rows(con, "select * from targets where year >= 2018")
    county_scope = targets[targets["scope_code"] == targets["county_code"]]
    per_county = county_scope.groupby(["county_code", "year"])["metric"].apply(set)
    assert len(per_county) == len(COUNTY_SETS["default"]) * 3
    assert all(metrics == set(METRICS) for metrics in per_county)
    actual = rows(con, """select county_code, township_code as scope_code, year(purchase_date) as year,
                                 sum(amount_yuan) as actual from purchases group by all""")
    amounts = targets[targets["metric"] == "purchase_amount_yuan"].merge(actual, on=["county_code", "scope_code",
                                                                                      "year"])
    ahead = (amounts["actual"] >= amounts["target_value"]).groupby(amounts["county_code"]).mean()
    assert set(ahead.index) == set(COUNTY_SETS["default"])
    assert ahead[list(RURAL)].between(0.1, 0.9).all(), ahead


def test_reference_tables_hold_the_counties_with_data(con):
    assert set(rows(con, "select county_code from counties")["county_code"]) == set(COUNTY_SETS["default"])
    assert set(rows(con, "select distinct county_code from townships")["county_code"]) == set(COUNTY_SETS["default"])
    assert set(rows(con, "select distinct county_code from villages")["county_code"]) == set(COUNTY_SETS["default"])


def test_progress_reported_per_county_and_year(built):
    _, reports = built
    fractions = [f for f, _ in reports]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    for code in COUNTY_SETS["default"]:
        name = reference.counties((code,))["county_name"][0]
        years = range(2016 if code == YUANQU else 2018, 2021)
        assert all(any(f"{name} {year} 年" in m for _, m in reports) for year in years), name


def test_yuanqus_2018_report_figures_hold_beside_the_other_counties(con):
    weight, amount, poor_weight, poor_amount = con.execute("""
        select sum(weight_kg), sum(amount_yuan), sum(weight_kg) filter (where from_poor_village),
               sum(amount_yuan) filter (where from_poor_village)
        from purchases where county_code = $county and purchase_date between '2018-01-01' and '2018-12-29'""",
                                                           {"county": YUANQU}).fetchone()
    for value, wan in ((weight, 1146), (amount, 4154), (poor_weight, 650), (poor_amount, 2775)):
        assert wan * 1e4 <= value < (wan + 1) * 1e4      # "X余万"


@pytest.mark.parametrize("table", sorted(YUANQU_DIGESTS))
def test_yuanqu_rows_are_unchanged(con, table):
    assert digest(con, table, YUANQU) == YUANQU_DIGESTS[table]


@pytest.mark.parametrize("table, codes", sorted(YUANQU_BEFORE))
def test_yuanqu_rows_equal_the_single_county_generators(con, table, codes):
    assert digest(con, table, YUANQU, exclude=codes) == YUANQU_BEFORE[(table, codes)]


def test_tiexi_is_a_small_district(con):
    """铁西区 buys from 平西乡's 20 villages only (its other units are urban communities), a small share of what a
    rural county does, and is on one harvest a year like the other northern counties."""
    origins = rows(con, "select distinct township_code from purchases where county_code = $c", c=TIEXI)
    assert set(origins["township_code"]) == {"220302200"}
    amounts = rows(con, """select year(purchase_date) as year, sum(amount_yuan) as amount_yuan from purchases
                           where county_code = $c group by all order by year""", c=TIEXI)["amount_yuan"].tolist()
    assert len(amounts) == 3 and amounts[0] < amounts[1] < amounts[2] and 1e6 < amounts[0] < 5e6
    autumn = rows(con, """select sum(amount_yuan) filter (where month(purchase_date) between 8 and 10)
                                 / sum(amount_yuan) as share from purchases where county_code = $c""", c=TIEXI)
    assert autumn["share"][0] > 0.5


def _chunks_digest(seed: int, code: str, scale: int) -> str:
    county = build_county(seed, code, designated=True)
    parts = [county.cooperatives, county.inspections, county.cast.buyers]
    parts += [frame for _, _, frame in county_chunks(county, seed, scale, {2018: 1e6, 2019: 2e6, 2020: 3e6})]
    return hashlib.sha256(b"".join(pd.util.hash_pandas_object(p, index=False).to_numpy().tobytes()
                                   for p in parts)).hexdigest()


def test_same_seed_same_rows_in_any_process():
    here = _chunks_digest(7, FUYUAN, 2)
    assert _chunks_digest(7, FUYUAN, 2) == here
    assert _chunks_digest(8, FUYUAN, 2) != here
    code = f"from tests.test_demo_counties import _chunks_digest; print(_chunks_digest(7, {FUYUAN!r}, 2))"
    for hash_seed in ("1", "2"):
        other = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True,
                               env={**os.environ, "PYTHONHASHSEED": hash_seed}, timeout=120)
        assert other.stdout.strip() == here, other.stderr


def test_scale_adds_replicas_around_the_plan():
    county = build_county(3, FUYUAN, designated=False)
    chunks = list(county_chunks(county, 3, 2, {}))
    assert [(year, replica) for year, replica, _ in chunks] == [(y, r) for y in (2018, 2019, 2020) for r in (0, 1)]
    first, second = chunks[0][2], chunks[1][2]
    assert first["amount_yuan"].sum() == pytest.approx(county.local_yuan[2018], abs=0.05)
    assert len(second) != len(first) and second["amount_yuan"].sum() != pytest.approx(first["amount_yuan"].sum())


def test_xunyang_keeps_its_county_code_through_2020():
    county = build_county(42, "610928", designated=False)
    frame = year_rows(np.random.default_rng(1), county, 2020, 2e6, 0.0)
    assert frame["township_code"].str.startswith("610928").all()
    assert frame["village_code"].str.startswith("610928").all()


def test_county_sets():
    assert county_codes("default") == (YUANQU, LIXIAN, FUYUAN, TONGJIANG, SHANGZHOU, TIEXI)
    assert len(county_codes("all")) == 16 and "610928" in county_codes("all") and "610981" not in county_codes("all")
    assert county_codes("all")[-1] == TIEXI   # last: the ids of the counties before it are what they were
    with pytest.raises(ValueError, match="未知"):
        county_codes("everything")
    with pytest.raises(ValueError, match="610981"):
        county_codes(("610981",))   # 旬阳市 has a code only from 2021


def test_cli_refuses_an_unknown_county_set(tmp_path):
    from conftest import run_cli  # here: other processes import this module without the tests' path

    result = run_cli("demo", "--counties", "some", data=tmp_path, timeout=60)
    assert result.returncode == 2 and "--counties" in result.stderr
