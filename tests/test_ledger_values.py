"""Reading ledger cells: dates, amounts, counts, coded values, credit codes, and township and village names."""

import datetime as dt

import pytest

from fupin.ledger import values as v
from fupin.ledger.places import Places
from fupin.ledger.synonyms import SYNONYMS
from fupin.settings import PROJECT_ROOT
from fupin.store import reference
from fupin.store.credit_code import make_cooperative_code


@pytest.mark.parametrize("text, expected", [
    ("2018-12-29", dt.date(2018, 12, 29)),
    ("2018/12/29", dt.date(2018, 12, 29)),
    ("2018/1/5", dt.date(2018, 1, 5)),
    ("2018年12月29日", dt.date(2018, 12, 29)),
    ("2018年 2月 8日", dt.date(2018, 2, 8)),
    ("2018.12.29", dt.date(2018, 12, 29)),
    ("20181229", dt.date(2018, 12, 29)),
    ("43463", dt.date(2018, 12, 29)),        # Excel serial number
    ("43463.0", dt.date(2018, 12, 29)),
    ("2018-12-29 00:00:00", dt.date(2018, 12, 29)),
])
def test_dates_in_every_ledger_form(text, expected):
    assert v.parse_date(text) == expected


@pytest.mark.parametrize("text, reason", [
    ("abc", v.DATE_FORMAT),
    ("2018-13-01x", v.DATE_FORMAT),
    ("12/29/2018", v.DATE_FORMAT),
    ("123", v.DATE_FORMAT),                   # a number too small to be a serial date
    ("2018年2月30日", v.DATE_MISSING_DAY),
    ("2019-02-29", v.DATE_MISSING_DAY),
    ("2018-13-01", v.DATE_MISSING_DAY),
    ("1989-12-31", v.DATE_OUT_OF_RANGE),
    ((dt.date.today() + dt.timedelta(days=1)).isoformat(), v.DATE_OUT_OF_RANGE),
])
def test_bad_dates_say_why(text, reason):
    with pytest.raises(v.ValueProblem) as e:
        v.parse_date(text)
    assert str(e.value) == reason


@pytest.mark.parametrize("text, expected", [
    ("1234.5", 1234.5), ("1,234.5", 1234.5), ("1,234,567", 1234567.0), ("¥100", 100.0), ("￥ 1,000.50", 1000.5),
    ("RMB 88", 88.0), ("100元", 100.0), ("0", 0.0), ("12", 12.0), ("0.5", 0.5), (".5", 0.5), ("１２３．５", 123.5),
])
def test_amounts_with_separators_and_currency_signs(text, expected):
    assert v.parse_quantity(text) == expected


@pytest.mark.parametrize("text, reason", [
    ("abc", v.NOT_A_NUMBER), ("1,23", v.NOT_A_NUMBER), ("12,34.5", v.NOT_A_NUMBER), ("nan", v.NOT_A_NUMBER),
    ("1.2.3", v.NOT_A_NUMBER), ("-5", v.NEGATIVE), ("¥-5", v.NEGATIVE),
    # Python's float() reads these; no Excel user writes them, so they are refused rather than guessed at.
    ("1_000", v.NOT_A_NUMBER), ("1e5", v.NOT_A_NUMBER), ("1E5", v.NOT_A_NUMBER), ("inf", v.NOT_A_NUMBER),
    ("infinity", v.NOT_A_NUMBER), ("+5", v.NOT_A_NUMBER), ("0x10", v.NOT_A_NUMBER), ("١٢", v.NOT_A_NUMBER),
    ("12.", v.NOT_A_NUMBER), ("1 000", v.NOT_A_NUMBER),
])
def test_bad_amounts_say_why(text, reason):
    with pytest.raises(v.ValueProblem, match=reason[:4]):
        v.parse_quantity(text)


@pytest.mark.parametrize("cell, expected", [
    ("--", None), ("-", None), ("—", None), ("——", None), ("", None), ("  ", None), ("\u3000", None), (None, None),
    (" 万盛 ", "万盛"), ("-5", "-5"), ("无", "无"), ('="140827203216"', "140827203216"), ('=""', None),
])
def test_dashes_and_blanks_are_empty_never_zero(cell, expected):
    """Also: a code as the dashboard's CSV writes it for Excel (="...") is the code."""
    assert v.clean(cell) == expected


def test_counts_and_years():
    assert v.parse_count("12") == 12 and v.parse_count("12.0") == 12
    with pytest.raises(v.ValueProblem, match="整数"):
        v.parse_count("12.5")
    assert v.parse_year("2018年") == 2018
    with pytest.raises(v.ValueProblem, match="年度"):
        v.parse_year("1999")


@pytest.mark.parametrize("field, text, code", [
    ("buyer_type", "商超", "supermarket"), ("buyer_type", "supermarket", "supermarket"),
    ("buyer_type", "Catering", "catering"), ("supplier_type", "脱贫户", "poor_household"),
    ("supplier_type", "贫困户", "poor_household"), ("channel", "商超直销", "retail"),
    ("channel", "龙头带动·商超直销", "retail"), ("channel", "协会引领", "catering"),
    ("inspection_type", "快检", "rapid"), ("inspection_type", "抽样检验", "lab"), ("result", "不合格", "fail"),
    ("metric", "采购金额", "purchase_amount_yuan"), ("metric", "脱贫村采购金额", "poor_village_amount_yuan"),
    ("venue_type", "农贸市场", "农贸市场"),
])
def test_coded_values_by_label_code_or_synonym(field, text, code):
    assert v.CODED[field].parse(text) == code


@pytest.mark.parametrize("field, text, code", [
    ("buyer_type", "超市", "supermarket"), ("buyer_type", "商场", "supermarket"),
    ("buyer_type", "食品加工企业", "food_enterprise"), ("buyer_type", "饭店", "catering"),
    ("buyer_type", "餐馆", "catering"), ("buyer_type", "酒店", "catering"), ("venue_type", "饭店", "餐饮单位"),
    ("result", "阴性", "pass"), ("supplier_type", " 建档立卡贫困户 ", "poor_household"),
])
def test_words_staff_write_are_read_through_the_synonym_table(field, text, code):
    assert v.CODED[field].parse(text.strip()) == code
    assert v.CODED[field].synonym(text.strip()) == code


def test_codes_and_labels_are_not_synonyms():
    assert v.BUYER_TYPE.synonym("商超") is None and v.BUYER_TYPE.synonym("supermarket") is None


@pytest.mark.parametrize("field", sorted(SYNONYMS))
def test_every_synonym_names_a_code_and_shadows_no_label(field):
    coded = v.CODED[field]
    for word, code in SYNONYMS[field].items():
        assert code in coded.codes, (word, code)
        assert coded.named.get(word.lower(), code) == code, f"{word} is already a label of another {coded.what}"


def test_readme_documents_every_synonym():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## 导入台账", 1)[1].split("\n## ", 1)[0]
    missing = [word for words in SYNONYMS.values() for word in words if word not in section]
    assert not missing, missing


def test_an_unknown_coded_value_lists_the_choices():
    with pytest.raises(v.ValueProblem, match="可填：商超、食品企业"):
        v.BUYER_TYPE.parse("小卖部")


def test_credit_codes():
    code = make_cooperative_code("140827", "MA0XBPPTN")
    assert v.parse_credit_code(code.lower()) == code
    assert v.parse_cooperative_code(code) == code
    with pytest.raises(v.ValueProblem):
        v.parse_credit_code(code[:-1] + ("0" if code[-1] != "0" else "1"))
    company = "91" + code[2:17]
    from fupin.store.credit_code import check_character
    with pytest.raises(v.ValueProblem, match="93"):
        v.parse_cooperative_code(company + check_character(company))


@pytest.fixture(scope="module")
def places() -> Places:
    villages = reference.villages().assign(is_poor_village=lambda f: f["village_code"].str.endswith("1"))
    return Places(reference.townships(), villages, reference.counties(("140827",)))


def every_county(allowed=None) -> Places:
    """The places of every reference county, as a snapshot of them all has, for an import limited to `allowed`."""
    codes = tuple(reference.counties()["county_code"])
    villages = reference.villages(codes).assign(is_poor_village=False)
    return Places(reference.townships(codes), villages, reference.counties(codes), allowed)


@pytest.mark.parametrize("text, county, allowed, found", [
    ("城关镇", "礼县", None, "621226100"), ("城关镇", "621226", None, "621226100"),
    ("城关镇", None, ("610921",), "610921100"),                  # the user's one county
    ("城关镇", "旬阳县", None, "610928100"), ("城关镇", "旬阳市", None, "610928100"),   # 旬阳市's code from 2021
    ("新城镇", None, None, "140827100"),                           # a name found in one county only
    ("621226100", None, None, "621226100"),
    ("城关镇", None, None, "在多个县都有"), ("城关镇", None, ("610921", "610922"), "在多个县都有"),
    ("新城镇", None, ("621226",), "不在所填的县或本次导入的范围内"),
    ("140827100", "礼县", None, "不在所填的县或本次导入的范围内"),
])
def test_townships_within_a_county_or_the_users_counties(text, county, allowed, found):
    places = every_county(allowed)
    code = places.county(county) if county else None
    if found.isdigit():
        assert places.township(text, 2020, code) == found
    else:
        with pytest.raises(v.ValueProblem, match=found):
            places.township(text, 2020, code)


def test_counties_by_name_or_code_within_the_import_scope():
    places = every_county(("621226",))
    assert places.county("礼县") == places.county("621226") == "621226"
    with pytest.raises(v.ValueProblem, match="不在本次导入的范围内"):
        places.county("垣曲县")
    with pytest.raises(v.ValueProblem, match="不在参考区划中"):
        places.county("运城市")
    assert places.scope("全县", 2019) == "621226" and places.scope("礼县", 2019) == "621226"
    with pytest.raises(v.ValueProblem, match="全县"):
        every_county().scope("全县", 2019)


@pytest.mark.parametrize("text, year, code", [
    ("英言乡", 2018, "140827201"), ("英言乡", 2020, "140827105"),   # the old name on a 2020 row
    ("英言镇", 2018, "140827201"), ("英言镇", 2021, "140827105"),   # the new name on a 2018 row
    ("英言", 2019, "140827201"), ("140827201", 2020, "140827105"), ("140827105", 2018, "140827201"),
    ("新城镇", 2016, "140827100"), ("新城", 2024, "140827100"), ("140827203", 2018, "140827203"),
])
def test_townships_by_name_or_code_in_the_year_in_force(places, text, year, code):
    assert places.township(text, year) == code


def test_townships_that_do_not_exist(places):
    with pytest.raises(v.ValueProblem, match="乡镇不存在"):
        places.township("某某乡", 2018)
    with pytest.raises(v.ValueProblem, match="这一年不存在"):
        places.township("垣曲县社区服务中心", 2018)   # set up in 2020


@pytest.mark.parametrize("text, township, year, code", [
    ("望仙村委会", "140827101", 2018, "140827101216"), ("望仙村", "140827101", 2018, "140827101216"),
    ("望仙", "140827101", 2018, "140827101216"), ("140827101216", "140827101", 2018, "140827101216"),
    ("无恨村", "140827201", 2018, "140827201201"), ("无恨村", "140827105", 2020, "140827105201"),
])
def test_villages_by_name_or_code_in_the_edition_in_force(places, text, township, year, code):
    assert places.village(text, township, year) == code


def test_village_problems(places):
    with pytest.raises(v.ValueProblem, match="村不存在"):
        places.village("不存在村", "140827101", 2018)
    with pytest.raises(v.ValueProblem, match="不在所填乡镇"):
        places.village("望仙村", "140827203", 2018)         # a village of another township
    with pytest.raises(v.ValueProblem, match="不在所填乡镇"):
        places.village("140827201201", "140827105", 2020)   # a 2018 code on a 2020 row
    with pytest.raises(v.ValueProblem, match="不唯一"):
        places.village("东峰山", "140827100", 2018)          # 东峰山村委会 and 东峰山居委会


def test_scope_of_a_target(places):
    assert places.scope("垣曲县", 2018) == "140827" and places.scope("140827", 2018) == "140827"
    assert places.scope("英言乡", 2020) == "140827105"
    assert not places.knows_scope("运城市")


def test_places_tolerate_missing_successors_read_back_as_nan():
    townships = reference.townships()
    townships["successor_code"] = [s if s else float("nan") for s in townships["successor_code"]]
    villages = reference.villages().assign(is_poor_village=False)
    assert Places(townships, villages, reference.counties(("140827",))).township("英言乡", 2020) == "140827105"
