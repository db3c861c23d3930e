"""The 导入 page: renders standalone, lists snapshot history with source files, offers templates, switches back."""

import datetime as dt
import errno
import hashlib
import io
import re
import time
from types import SimpleNamespace

import openpyxl
import pytest
from conftest import app_tiles, copy_store, sign_in
from ledger_samples import (
    PURCHASE_HEADER,
    csv_file,
    purchase,
    sheet_xml,
    xlsx_with_sheet,
)
from streamlit.testing.v1 import AppTest

from fupin import settings
from fupin.auth import audit
from fupin.ledger import files, history, slots
from fupin.ledger.columns import IMPORTABLE_TABLES
from fupin.ledger.importer import import_ledgers
from fupin.settings import PROJECT_ROOT
from fupin.store.store import SnapshotStore
from fupin.text import fmt
from fupin.ui import import_page

APP = str(PROJECT_ROOT / "tests" / "app_entry.py")


def run_page(role: str | None = "clerk", **params) -> AppTest:
    """The import page as a person reaches it: signed in as `role` (None: demo mode, no accounts), the app opened
    on a link of `params`, then 导入."""
    at = AppTest.from_file(APP, default_timeout=60)
    if role:
        sign_in(at, settings.data_dir(), role)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("../pages/import.py").run()
    assert not at.exception, at.exception
    return at


def history_table(at: AppTest):
    return next(d.value for d in at.dataframe if "快照" in d.value.columns)


@pytest.fixture
def store(tmp_path, tiny_store, monkeypatch) -> SnapshotStore:
    store = copy_store(tiny_store, tmp_path)
    monkeypatch.setenv("FUPIN_DATA", str(tmp_path))
    return store


def test_snapshots_made_in_one_second_are_numbered_in_the_order_they_were_made():
    made = SimpleNamespace(as_of=dt.date(2018, 12, 29), manifest={"created_at": "2026-12-07T06:18:34.5+00:00"})
    other = SimpleNamespace(as_of=dt.date(2018, 12, 29), manifest={"created_at": "2026-12-07T06:18:10+00:00"})
    names = history._distinct_names([made, made, other], "zh")            # newest first, as the history lists them
    assert names == ["2018年12月29日数据（12月7日 14:18:34 更新） (2)", "2018年12月29日数据（12月7日 14:18:34 更新） (1)",
                     "2018年12月29日数据（12月7日 14:18:10 更新）"]


def test_page_lists_snapshot_history_with_row_counts_and_source_files(store):
    import_ledgers(store, "purchases", [csv_file([purchase(), purchase(date="2018-12-21")], name="十二月采购.csv")])
    at = run_page()
    history = history_table(at)
    names = list(history["快照"])
    assert len(names) == 2 and len(set(names)) == 2, "two snapshots of one minute are told apart"
    assert all(name.startswith(f"{fmt.day(s.as_of)}数据（") for name, s in zip(names, reversed(store.list())))
    assert not any(s.id in " ".join(map(str, history.iloc[0])) for s in store.list())
    newest = history.iloc[0]
    assert bool(newest["当前"]) and newest["导入文件"] == "十二月采购.csv" and newest["采购记录"] == 402
    assert newest["来源"] == "导入采购台账（追加）" and history.iloc[1]["采购记录"] == 400
    assert at.button(key="import_preview").disabled and at.button(key="import_confirm").disabled


def test_page_offers_a_template_per_table(store):
    at = run_page("leader")
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
    shown = history_table(at)
    name = shown.loc[shown["当前"], "快照"].item()
    assert name.startswith(f"{fmt.day(store.get(first).as_of)}数据（") and first not in name
    assert [s.value for s in at.success] == [f"已切换：仪表盘现在显示{name}"]


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
    return app_tiles(at)


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
    assert [b.label for b in at.get("download_button")][-2:] == ["Excel template", "CSV template"]


def uploaded(at: AppTest, *files) -> AppTest:
    at.file_uploader(key="import_uploads").set_value([(f.name, f.content, "text/csv") for f in files])
    return at.run()


def test_a_replace_shows_what_it_removes_and_needs_the_count_typed_back(store):
    at = run_page()
    at.radio(key="import_mode").set_value("replace").run()
    removed = next(d.value for d in at.dataframe if "将删除的行数" in d.value.columns)
    assert removed["将删除的行数"].sum() == 400 and {"年度", "乡镇"} <= set(removed.columns)
    assert any("全部 400 行" in c.value for c in at.caption)
    uploaded(at, csv_file([purchase(), purchase(date="2018-12-21")]))
    at.button(key="import_preview").click().run()
    assert any("预检通过" in s.value for s in at.success)
    assert at.button(key="import_confirm").disabled                   # nothing typed yet
    at.text_input(key="import_replace_count").input("399").run()
    assert at.button(key="import_confirm").disabled and any("不符" in e.value for e in at.error)
    at.text_input(key="import_replace_count").input("400").run()
    assert not at.button(key="import_confirm").disabled
    at.button(key="import_confirm").click().run()
    assert not at.exception and any("已导入采购台账：新增 2 行" in s.value for s in at.success)
    assert store.current().rows("purchases") == 2


def test_a_second_check_while_one_runs_is_refused_with_a_message(store):
    at = uploaded(run_page(), csv_file([purchase()]))
    with slots.one_at_a_time():                                     # another clerk's check is running
        at.button(key="import_preview").click().run()
    assert not at.exception
    assert any("另一个台账正在预检或导入" in w.value for w in at.warning)
    assert not any("预检通过" in s.value for s in at.success)
    at.button(key="import_preview").click().run()                   # and once it is done, the check runs
    assert any("预检通过" in s.value for s in at.success)


def test_a_full_disk_during_an_import_is_one_sentence_and_changes_nothing(store, monkeypatch):
    before = store.current_id()
    at = uploaded(run_page(), csv_file([purchase()]))
    at.button(key="import_preview").click().run()

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("fupin.store.writer.SnapshotWriter.write", full)
    at.button(key="import_confirm").click().run()
    assert not at.exception
    assert any("磁盘空间已满" in e.value and "没有做任何更改" in e.value for e in at.error)
    assert store.current_id() == before and len(store.list()) == 1


def test_the_page_works_when_current_is_missing_and_says_so(store):
    store.current_file.unlink()
    at = run_page()
    assert not any("还没有快照" in i.value for i in at.info)
    assert any("CURRENT 指针缺失" in e.value for e in at.error)
    assert at.file_uploader(key="import_uploads") is not None


def test_a_damaged_current_snapshot_is_named_on_the_page_and_not_imported_into(store):
    first = store.current()
    second = import_ledgers(store, "purchases", [csv_file([purchase()])]).snapshot
    path = second.file_paths("purchases")[-1]   # the 2018 partition, the one the import rewrote
    path.write_bytes(path.read_bytes()[:-100])
    at = uploaded(run_page(), csv_file([purchase(date="2018-12-22")]))
    named = str(path.relative_to(second.path))
    assert any(named in e.value and first.id in e.value for e in at.error)
    at.button(key="import_preview").click().run()
    assert not at.exception and any(named in e.value for e in at.error)
    assert store.current_id() == second.id and len(store.list()) == 2


def test_a_bad_setting_is_one_message_not_a_traceback(store, monkeypatch):
    monkeypatch.setenv("FUPIN_MAX_UPLOAD_MB", "abc")
    at = run_page()
    assert any("FUPIN_MAX_UPLOAD_MB" in e.value and "'abc'" in e.value for e in at.error)
    assert len(at.get("download_button")) == 2 * len(IMPORTABLE_TABLES)


def test_a_clerks_import_and_rollback_on_the_page_are_each_in_the_audit_log_newest_first(store):
    first = store.current_id()
    sent = csv_file([purchase(), purchase(date="2018-12-21")], name="十二月采购.csv")
    at = run_page("clerk")
    uploaded(at, sent)
    at.button(key="import_preview").click().run()
    at.button(key="import_confirm").click().run()
    imported = store.current_id()
    assert not at.exception and imported != first
    at.selectbox(key="import_snapshot").select_index(1).run()
    at.button(key="import_set_current").click().run()
    assert not at.exception and store.current_id() == first

    entries = audit.entries(store.root)
    assert [(e["who"], e["via"], e["action"]) for e in entries] == [("clerk", "web", "import"),
                                                                    ("clerk", "web", "switch_current")]
    assert entries[0]["files"] == ["十二月采购.csv"] and entries[0]["sha256"] == [hashlib.sha256(sent.content).hexdigest()]
    assert (entries[0]["before"], entries[0]["after"]) == (first, imported)
    assert (entries[1]["before"], entries[1]["after"]) == (imported, first)
    shown = next(d.value for d in at.dataframe if "操作人" in d.value.columns)
    assert list(shown["操作"]) == ["切换当前快照（回退）", "导入（追加）"], "newest first"
    assert [i["by"] for i in store.get(imported).manifest["imports"]] == ["clerk"], "the manifest says who imported"


@pytest.mark.parametrize("role", ["leader", "township"])
def test_roles_that_may_not_change_data_see_no_audit_log_and_no_switch(store, role):
    at = run_page(role)
    assert not [d for d in at.dataframe if "操作人" in d.value.columns]
    assert not [b for b in at.button if b.key == "import_set_current"]


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def uploaded_workbooks(at: AppTest, *workbooks: tuple[str, bytes]) -> AppTest:
    at.file_uploader(key="import_uploads").set_value([(name, content, XLSX_MIME) for name, content in workbooks])
    return at.run()


def test_a_workbook_s_sheet_names_are_read_once_per_upload(store, monkeypatch):
    reads, read = [], files.sheet_names
    monkeypatch.setattr(import_page, "sheet_names", lambda file: reads.append(file.name) or read(file))
    workbook = openpyxl.Workbook()
    workbook.active.title = "说明"
    sheet = workbook.create_sheet("2018年")
    for row in (PURCHASE_HEADER, purchase()):
        sheet.append(row)
    content = io.BytesIO()
    workbook.save(content)
    at = uploaded_workbooks(run_page(), ("采购台账.xlsx", content.getvalue()))
    at.selectbox(key="import_sheet").select("2018年").run()
    at.checkbox(key="import_only_valid").check().run()
    assert reads == ["采购台账.xlsx"] and at.selectbox(key="import_sheet").options == ["说明", "2018年"]
    at.button(key="import_preview").click().run()
    assert any("预检通过" in s.value for s in at.success), [e.value for e in at.error]


def test_a_bomb_is_refused_on_upload_before_anything_unpacks_it(store, monkeypatch):
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *_, **__: pytest.fail("openpyxl read the bomb"))
    bomb = xlsx_with_sheet(sheet_xml(200_000, lambda n: "<row><c><v>1</v></c></row>"))
    at = uploaded_workbooks(run_page(), ("采购台账.xlsx", bomb))
    assert not at.exception
    assert len(at.error) == 1 and re.fullmatch(r"采购台账\.xlsx 未读取：工作表“Sheet1”解压后是压缩时的 [0-9,]+ 倍"
                                               r"（正常文件不超过 100 倍），疑似压缩炸弹，未读取", at.error[0].value)
    assert at.button(key="import_preview").disabled


@pytest.mark.slow   # the bomb takes ~10 s to build, once per session
def test_the_issue_s_bomb_is_refused_on_the_page_at_once(store, xlsx_bomb, monkeypatch):
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *_, **__: pytest.fail("openpyxl read the bomb"))
    at = run_page()
    at.file_uploader(key="import_uploads").set_value([("采购台账.csv", csv_file([purchase()]).content, "text/csv"),
                                                      (xlsx_bomb.name, xlsx_bomb.read_bytes(), XLSX_MIME)])
    started = time.perf_counter()
    at.run()
    assert time.perf_counter() - started < 10   # the whole run of the page; sheet_names alone took 95 s before
    assert not at.exception and len(at.error) == 1
    assert re.fullmatch(f"{xlsx_bomb.name} 未读取：xlsx 文件解压后有 1,0\\d\\d MB，超过上限 1,000 MB，未读取",
                        at.error[0].value)
    at.button(key="import_preview").click().run()   # the CSV beside it is still checked
    assert any("预检通过" in s.value for s in at.success)
