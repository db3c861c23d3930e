"""The command line: clear one-line errors with exit status 2, and the brief on a small snapshot."""

import json

import pytest
from conftest import run_cli

YUANQU = ("140827",)


@pytest.mark.parametrize("args, message", [
    (["brief", "--as-of", "2018-02-30"], "日期无效"),
    (["brief", "--as-of", "yesterday"], "日期无效"),
    (["brief", "--township", "999999999"], "乡镇不存在（名称或代码不在参考区划中）: 999999999"),
    (["brief", "--township", "火星乡"], "乡镇不存在"),
    (["brief", "--snapshot", "2018-12-29_20990101T000000000000Z"], "快照不存在"),
    (["brief", "--snapshot", "../../etc"], "快照编号无效"),
])
def test_bad_input_gives_one_line_and_exit_2(tiny_store, args, message):
    result = run_cli(*args, data=tiny_store.root)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_empty_data_dir_is_a_clear_error(tmp_path):
    result = run_cli("brief", data=tmp_path)
    assert result.returncode == 2 and "还没有快照" in result.stderr and "Traceback" not in result.stderr


def test_brief_json_on_the_tiny_snapshot(tiny_store, tiny_db):
    result = run_cli("brief", "--format", "json", "--township", "140827203", data=tiny_store.root)
    assert result.returncode == 0, result.stderr
    brief = json.loads(result.stdout)
    assert brief["scope"] == "140827203" and brief["as_of"] == "2018-12-29"
    import datetime as dt

    from fupin.query.filters import Filter
    totals = tiny_db.run_filtered("purchase_totals", Filter.year_to_date(dt.date(2018, 12, 29), counties=YUANQU, township="140827203"))
    assert brief["purchase_amount_yuan"] == pytest.approx(totals["amount_yuan"].iloc[0], abs=0.01)


@pytest.mark.parametrize("township", ["华峰乡", "华峰", " 140827203 "])
def test_brief_takes_a_township_by_name_or_code(tiny_store, township):
    result = run_cli("brief", "--format", "json", "--township", township, data=tiny_store.root)
    assert result.returncode == 0, result.stderr
    brief = json.loads(result.stdout)
    assert (brief["scope"], brief["scope_name"]) == ("140827203", "华峰乡")


def test_brief_names_a_renamed_township_in_the_years_edition(demo_store):
    from fupin.cli.brief import township_scope
    snapshot = demo_store.current()
    assert township_scope(snapshot, "英言乡", 2020) == ("140827105", "英言镇")
    assert township_scope(snapshot, "英言镇", 2018) == ("140827201", "英言乡")


def test_brief_text_is_short_paragraphs(tiny_store):
    result = run_cli("brief", "--as-of", "2018-06-30", "--township", "华峰乡", data=tiny_store.root)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == ["华峰乡消费帮扶工作简报（截至2018年6月30日）", "一、需要关注的问题"]
    second = lines.index("二、华峰乡工作进展（截至2018年6月30日）")
    assert lines[second + 1].startswith("采购：") and max(len(line) for line in lines) < 200
