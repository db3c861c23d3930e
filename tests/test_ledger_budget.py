"""A ledger check's time budget and heartbeat (issue 27): past FUPIN_CHECK_TIMEOUT_S it stops with one sentence and
changes nothing, and its progress callback is called while rows are read, so a caller that raises there (Streamlit,
once the page's session has ended) stops it and leaves no workspace behind."""

import os
import random
import tempfile
import time
from pathlib import Path

import pytest
from conftest import copy_store, run_cli
from ledger_samples import csv_file, purchase

from fupin.ledger import budget
from fupin.ledger.budget import CheckTimeout
from fupin.ledger.importer import import_ledgers
from fupin.store.store import SnapshotStore

TIMED_OUT = "台账校验超过 1 秒的时限（FUPIN_CHECK_TIMEOUT_S），已停止，没有做任何更改"


class SessionEnded(BaseException):
    """What Streamlit raises at a page's next Streamlit call once its session has ended (not an Exception)."""


@pytest.fixture
def store(tmp_path, tiny_store) -> SnapshotStore:
    return copy_store(tiny_store, tmp_path / "data")


@pytest.fixture(scope="module")
def long_ledger():
    """150,000 valid purchase rows: a dry run takes ~13 s on this machine."""
    rng = random.Random(7)
    return csv_file([purchase(date=f"2018-12-{rng.randint(1, 28):02d}", amount=str(rng.randint(1, 99_999)))
                     for _ in range(150_000)])


def own_workspaces() -> list[Path]:
    return list(Path(tempfile.gettempdir()).glob(f"fupin-import-{os.getpid()}-*"))


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_check_past_its_time_budget_stops_in_one_sentence_and_changes_nothing(store, long_ledger, dry_run,
                                                                                monkeypatch):
    monkeypatch.setenv("FUPIN_CHECK_TIMEOUT_S", "1")
    started = time.perf_counter()
    with pytest.raises(CheckTimeout) as refused:
        import_ledgers(store, "purchases", [long_ledger], dry_run=dry_run)
    assert str(refused.value) == TIMED_OUT
    assert time.perf_counter() - started < 5
    assert len(store.list()) == 1 and own_workspaces() == []


@pytest.mark.parametrize("stage", ["读取 采购台账.csv", "逐行校验：10,000 / 150,000 行"])
def test_a_progress_callback_that_raises_while_rows_are_read_stops_the_check(store, long_ledger, stage, monkeypatch):
    monkeypatch.setattr(budget, "HEARTBEAT_SECONDS", 0)   # a heartbeat every 2,000 rows, however fast this machine
    said = []

    def progress(fraction: float, message: str) -> None:
        said.append(message)
        if said.count(stage) == 2:   # said again without news: the heartbeat, while the next rows are read
            raise SessionEnded

    with pytest.raises(SessionEnded):
        import_ledgers(store, "purchases", [long_ledger], dry_run=True, progress=progress)
    assert "完成" not in said and own_workspaces() == []


def test_the_cli_stops_a_check_past_its_budget_with_one_line_and_exit_1(store, long_ledger, tmp_path):
    path = tmp_path / long_ledger.name
    path.write_bytes(long_ledger.content)
    result = run_cli("import", "purchases", str(path), "--dry-run", data=store.root, timeout=120,
                     env={"FUPIN_CHECK_TIMEOUT_S": "1"})
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [f"错误: {TIMED_OUT}"]

