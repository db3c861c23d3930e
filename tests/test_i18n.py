"""Labels: every UI string exists in both languages, and every key the code asks for is defined."""

import re

import pytest

from fupin.query.db import named_queries
from fupin.settings import PROJECT_ROOT
from fupin.text.i18n import COLUMNS, FORMATS, TEXT, column, t


def sources() -> str:
    files = [*(PROJECT_ROOT / "fupin").rglob("*.py"), *(PROJECT_ROOT / "pages").glob("*.py"), PROJECT_ROOT / "app.py",
             PROJECT_ROOT / "main.py"]
    return "\n".join(p.read_text(encoding="utf-8") for p in files)


@pytest.mark.parametrize("key", sorted(TEXT))
def test_every_string_has_both_languages(key):
    zh, en = TEXT[key]
    assert zh.strip() and en.strip()
    assert re.search(r"[\u4e00-\u9fff]", zh), f"{key}: the Chinese label has no Chinese"


def test_every_key_the_code_uses_is_defined():
    used = set(re.findall(r"""\bt\(\s*["']([a-z_]+)["']""", sources()))
    assert used, "the pattern found no keys"
    assert used <= set(TEXT) | set(FORMATS), sorted(used - set(TEXT) - set(FORMATS))


@pytest.mark.parametrize("key", sorted(FORMATS))
def test_every_format_has_both_languages_and_no_label_twice(key):
    zh, en = FORMATS[key]
    assert zh and en and key not in TEXT


def test_placeholders_are_filled():
    assert t("rows_total", "zh", n=5) == "共 5 条" and t("rows_total", "en", n=5) == "5 rows"


def test_common_query_columns_have_labels():
    names = set()
    for name in ("purchase_records", "inspection_records", "cooperative_register", "purchase_by_village"):
        sql = named_queries()[name].sql
        select = sql.lower().split("select", 1)[1].split("\nfrom", 1)[0]
        names |= {part.strip().split(".")[-1].split(" as ")[-1].strip(",").strip() for part in select.split(",\n")}
    missing = {n for n in names if n and column(n) == n}
    assert not missing, missing
    assert all(zh and en for zh, en in COLUMNS.values())
