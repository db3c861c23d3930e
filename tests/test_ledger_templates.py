"""Templates, documentation and SQL of the ledger import stay in step with the column definitions."""

import re

import pytest

from fupin.ledger.columns import IMPORTABLE_TABLES, LEDGERS, find_header
from fupin.ledger.existing import Existing, ledger_queries
from fupin.ledger.files import LedgerFile, read_grid
from fupin.ledger.plan import read_ledger
from fupin.ledger.report import Report
from fupin.ledger.templates import (
    NOTES_SHEET,
    TEMPLATES_DIR,
    template_csv,
    template_xlsx,
    write_templates,
)
from fupin.settings import PROJECT_ROOT


@pytest.mark.parametrize("table", IMPORTABLE_TABLES)
def test_shipped_templates_are_what_the_code_generates(table):
    assert (TEMPLATES_DIR / f"{table}.csv").read_bytes() == template_csv(table), \
        "regenerate: python -c 'from fupin.ledger.templates import write_templates; write_templates()'"
    shipped = LedgerFile(f"{table}.xlsx", (TEMPLATES_DIR / f"{table}.xlsx").read_bytes())
    generated = LedgerFile(f"{table}.xlsx", template_xlsx(table))
    for sheet in (None, NOTES_SHEET):
        assert read_grid(shipped, sheet) == read_grid(generated, sheet)


@pytest.mark.parametrize("table", IMPORTABLE_TABLES)
def test_a_template_has_every_column_and_reads_as_headers_only(table):
    for content, name in ((template_csv(table), "t.csv"), (template_xlsx(table), "t.xlsx")):
        grid = read_grid(LedgerFile(name, content))
        header = find_header(grid, table)
        assert not header.problems and set(header.positions) == {c.name for c in LEDGERS[table]}
        assert read_ledger(LedgerFile(name, content), table).problems == [(None, "只有表头，没有数据行")]
    assert template_csv(table).startswith(b"\xef\xbb\xbf")


def test_write_templates_writes_two_files_per_table(tmp_path):
    assert sorted(p.name for p in write_templates(tmp_path)) == sorted(
        f"{t}{s}" for t in IMPORTABLE_TABLES for s in (".csv", ".xlsx"))


def test_readme_documents_every_ledger_column():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## 导入台账 / Importing ledgers"):]
    for table, columns in LEDGERS.items():
        assert f"**{table}**" in section
        for column in columns:
            assert re.search(rf"\| {re.escape(column.header)} \| `{column.name}` \| {'yes' if column.required else ''} \|",
                             section), f"{table}.{column.name} is not documented"


def test_every_ledger_query_is_used_and_runs(tiny_store):
    sources = "\n".join(p.read_text(encoding="utf-8") for p in (PROJECT_ROOT / "fupin" / "ledger").glob("*.py"))
    ran = set()
    for table in IMPORTABLE_TABLES:
        with Existing(tiny_store.current(), table) as existing:   # its checked rows are empty: every query runs
            for name, query in ledger_queries().items():
                assert f'"{name}"' in sources, f"queries/ledger/{name}.sql is not used"
                if (name.endswith("_duplicates") and not name.startswith(table[:-1])) or (
                        name == "ledger_taken_buyers" and table != "purchases"):
                    continue
                if name == "ledger_latest_dates" and table in ("targets", "offers", "pairings", "industries"):
                    # no date of something done
                    continue
                frame = existing.run_check(name, **{p: [] for p in query.params})
                assert len(frame.columns) > 0
                ran.add(name)
            if table == "purchases":
                assert existing.last_ids() == {"purchase_id": 400, "inspection_id": 120, "offer_id": 4, "sale_id": 0}
                with pytest.raises(TypeError):
                    existing.run_check("purchase_duplicates", purchase_date=[])
    assert ran == set(ledger_queries())


def test_the_report_csv_opens_in_excel():
    report = Report()
    report.add("台账.csv", 3, "采购日期", "abc", "无法识别的日期", "错误")
    report.add("台账.csv", None, None, None, "此文件已导入过", "重复")
    content = report.to_csv()
    assert content.startswith(b"\xef\xbb\xbf")
    assert content.decode("utf-8-sig").splitlines() == ["文件,行号,列,值,原因,类型", "台账.csv,3,采购日期,abc,无法识别的日期,错误",
                                                        "台账.csv,,,,此文件已导入过,重复"]
