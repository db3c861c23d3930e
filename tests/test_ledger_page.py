"""The 导入 page: renders standalone, lists snapshot history with source files, offers templates, switches back."""

import pytest
from streamlit.testing.v1 import AppTest

from conftest import write_snapshot
from fupin.ledger.columns import IMPORTABLE_TABLES
from fupin.ledger.importer import import_ledgers
from fupin.settings import PROJECT_ROOT
from fupin.snapshots import SnapshotStore
from ledger_samples import csv_file, purchase

APP = str(PROJECT_ROOT / "tests" / "app_entry.py")


def run_page(**params) -> AppTest:
    """The import page as a person reaches it: the app (opened on a link of `params`), then 导入."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("../pages/import_ledgers.py").run()
    assert not at.exception, at.exception
    return at


def history_table(at: AppTest):
    return next(d.value for d in at.dataframe if "快照" in d.value.columns)


@pytest.fixture
def store(tmp_path, tiny_tables_data, monkeypatch) -> SnapshotStore:
    store = SnapshotStore(tmp_path)
    write_snapshot(store, tiny_tables_data)
    monkeypatch.setenv("FUPIN_DATA", str(tmp_path))
    return store


def test_page_lists_snapshot_history_with_row_counts_and_source_files(store):
    import_ledgers(store, "purchases", [csv_file([purchase(), purchase(date="2018-12-21")], name="十二月采购.csv")])
    at = run_page()
    history = history_table(at)
    assert list(history["快照"]) == [s.id for s in reversed(store.list())]
    newest = history.iloc[0]
    assert bool(newest["当前"]) and newest["导入文件"] == "十二月采购.csv" and newest["采购记录"] == 402
    assert newest["来源"] == "导入采购台账（追加）" and history.iloc[1]["采购记录"] == 400
    assert at.button(key="import_preview").disabled and at.button(key="import_confirm").disabled


def test_page_offers_a_template_per_table(store):
    at = run_page()
    keys = {b.key for b in at.get("download_button")}
    assert keys == {f"template_{t}_{s}" for t in IMPORTABLE_TABLES for s in ("xlsx", "csv")}


def test_page_switches_the_current_snapshot_back(store):
    first = store.current_id()
    import_ledgers(store, "purchases", [csv_file([purchase()])])
    at = run_page()
    assert at.button(key="import_set_current").disabled       # the current one is selected
    at.selectbox(key="import_snapshot").select_index(1).run()
    at.button(key="import_set_current").click().run()
    assert not at.exception and store.current_id() == first
    assert any(first in s.value for s in at.success)
    assert bool(history_table(at).set_index("快照").loc[first, "当前"])


def test_page_choices_change_without_error(store):
    at = run_page()
    at.selectbox(key="import_table").select("合作社登记台账").run()
    at.radio(key="import_mode").set_value("替换").run()
    assert not at.exception
    assert any("合作社登记台账" in w.value for w in at.warning)
    guide = next(d.value for d in at.dataframe if "英文列名" in d.value.columns)
    assert "credit_code" in set(guide["英文列名"])


def dashboard_tiles() -> dict[str, str]:
    """The KPI tiles a new dashboard session shows (app.py through the tests' entry script)."""
    at = AppTest.from_file(str(PROJECT_ROOT / "tests" / "app_entry.py"), default_timeout=120).run()
    assert not at.exception, at.exception
    return {m.label: m.value for m in at.metric}


def test_the_dashboard_opened_after_an_import_shows_the_new_numbers(store):
    before = dashboard_tiles()
    import_ledgers(store, "purchases", [csv_file([purchase(date="2018-12-20", amount="¥3,000,000")])])
    after = dashboard_tiles()
    assert before.keys() == after.keys()
    changed = {label for label in before if before[label] != after[label]}
    assert changed and all("万" in after[label] or "亿" in after[label] for label in changed)


def test_page_follows_the_english_switch(store):
    at = run_page(lang="en")
    assert at.title[0].value == "Import ledgers"
    assert [b.label for b in at.get("download_button")][:2] == ["Excel template", "CSV template"]
