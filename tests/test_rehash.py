"""The background re-hash (fupin.store.rehash): a byte flipped with its file's size and mtime kept is found within one pass,
and a running app then shows the damaged-file notice and the fallback snapshot instead of the figure."""

import datetime as dt
import logging
import os
import random
import subprocess
import sys
import threading

import pytest
from conftest import (
    app_tiles,
    copy_store,
    flip_byte_keeping_stat,
    settled,
    tiny_tables,
    write_snapshot,
)
from ledger_samples import csv_file, purchase
from streamlit.testing.v1 import AppTest

from fupin import settings
from fupin.query.db import SnapshotDB
from fupin.query.filters import Filter
from fupin.report import page_data
from fupin.settings import PROJECT_ROOT
from fupin.store import rehash
from fupin.store.snapshot import SnapshotError
from fupin.store.store import SnapshotStore
from fupin.text import fmt

APP = str(PROJECT_ROOT / "tests" / "app_entry.py")
YEAR = Filter.year_to_date(dt.date(2018, 12, 29), counties=("140827",))
# FUPIN_REHASH_HOURS for the tests: a pass about every second.
SHORT_HOURS = "0.0003"
PASS_TIMEOUT_S = 120


@pytest.fixture
def store(tmp_path, two_snapshots_template) -> SnapshotStore:
    """Two snapshots with different purchases: `older` (the verified fallback) and the current `newer`."""
    return copy_store(two_snapshots_template, tmp_path / "data")


@pytest.fixture
def short_passes(store, monkeypatch):
    """The app on `store`, its background pass about every second; afterwards back to the default pace."""
    monkeypatch.setenv("FUPIN_DATA", str(store.root))
    monkeypatch.setenv("FUPIN_REHASH_HOURS", SHORT_HOURS)
    yield store
    rehash.BACKGROUND.watch(store, settings.REHASH_HOURS_DEFAULT * 3600)


def purchases_2018(snapshot):
    """The file the 2018 purchase figures are read from."""
    return next(p for p in snapshot.file_paths("purchases") if "/year=2018/" in str(p))


def in_snapshot(snapshot, path) -> str:
    return str(path.relative_to(snapshot.path))


def amount_tile(snapshot) -> str:
    """The overview's 采购金额 tile for 2018 as a person reads it."""
    db = SnapshotDB(snapshot)
    try:
        return fmt.money(page_data.overview(db, YEAR).headline.purchases["amount_yuan"])
    finally:
        db.close()


def test_a_pass_finds_what_the_stat_check_cannot_and_the_store_then_falls_back(store):
    older, newer = store.list()
    assert store.serve().snapshot.id == newer.id              # verified once in this process
    damaged = purchases_2018(newer)
    flip_byte_keeping_stat(damaged)
    assert store.serve().snapshot.id == newer.id, "size, mtime and inode unchanged: the stat check cannot see it"

    result = rehash.run_pass(store)
    assert result.snapshot_id == newer.id and result.files == sum(len(newer.files(t)) for t in newer.manifest["tables"])
    assert result.damaged == (f"快照 {newer.id} 的文件 {in_snapshot(newer, damaged)} 校验和不符（已损坏或被改动）",)
    assert result.bytes_read == sum(f.stat().st_size for t in newer.manifest["tables"] for f in newer.file_paths(t))
    assert result.cpu_share <= rehash.CPU_SHARE * 1.05, "the pass sleeps between blocks to stay within its share"

    served = store.serve()                                     # as after a stat change: hashed again, then fallback
    assert served.snapshot.id == older.id and in_snapshot(newer, damaged) in served.notices[0]


def test_a_clean_pass_finds_nothing_and_a_store_without_current_is_reported(store):
    assert rehash.run_pass(store).damaged == ()
    store.current_file.unlink()
    result = rehash.run_pass(store)
    assert result.snapshot_id is None and result.files == 0 and "CURRENT" in result.damaged[0]


def test_damage_found_in_a_hard_linked_file_is_damage_in_every_snapshot_sharing_it(tmp_path):
    from fupin.ledger.importer import import_ledgers

    store = SnapshotStore(tmp_path)
    first = write_snapshot(store, tiny_tables(random.Random(1)))
    second = import_ledgers(store, "purchases", [csv_file([purchase()])]).snapshot
    shared = next(p for p in second.file_paths("inspections") if "/year=2018/" in str(p))
    assert os.path.samefile(shared, first.path / shared.relative_to(second.path))
    assert store.serve().snapshot.id == second.id and store.serve(first.id).snapshot.id == first.id
    flip_byte_keeping_stat(shared)
    assert rehash.run_pass(store).damaged
    with pytest.raises(SnapshotError, match="没有可用的快照"):
        store.serve()                                          # the parent shares the bytes: not a fallback


def test_a_running_app_shows_the_notice_instead_of_the_figure_within_one_pass(short_passes):
    store = short_passes
    older, newer = store.list()
    assert amount_tile(older) != amount_tile(newer)
    app = AppTest.from_file(APP, default_timeout=120)
    app.query_params["to"] = "2018-12-29"
    settled(app.run())
    assert not app.exception and not app.error
    assert app_tiles(app)["采购金额"] == amount_tile(newer)

    damaged = purchases_2018(newer)
    flip_byte_keeping_stat(damaged)
    found = rehash.BACKGROUND.wait_for_next_pass(PASS_TIMEOUT_S)
    assert found.snapshot_id == newer.id and len(found.damaged) == 1 and in_snapshot(newer, damaged) in found.damaged[0]
    assert rehash.last_pass() == found

    app.run()
    assert not app.exception
    notices = [e.value for e in app.error]
    assert len(notices) == 1 and newer.id in notices[0] and in_snapshot(newer, damaged) in notices[0]
    assert f"改为显示最新的通过校验的快照 {older.id}" in notices[0]
    assert app_tiles(app)["采购金额"] == amount_tile(older), "the fallback's figure, never the damaged one's"
    assert [t.name for t in threading.enumerate()].count("fupin-rehash") == 1, "one thread per process"


def test_a_failing_pass_is_logged_and_the_thread_goes_on(short_passes, monkeypatch, caplog):
    store = short_passes
    calls = []

    def failing_once(watched):
        calls.append(watched)
        if len(calls) == 1:
            raise RuntimeError("disk on fire")
        return real(watched)

    real = rehash.run_pass
    monkeypatch.setattr(rehash, "run_pass", failing_once)
    caplog.set_level(logging.ERROR, logger="fupin.store.rehash")
    rehash.BACKGROUND.watch(store, float(SHORT_HOURS) * 3600)
    rehash.BACKGROUND.wait_for_next_pass(PASS_TIMEOUT_S)
    result = rehash.BACKGROUND.wait_for_next_pass(PASS_TIMEOUT_S)
    assert len(calls) >= 2 and "disk on fire" in caplog.text
    assert result.snapshot_id == store.current_id() and result.damaged == ()


def test_importing_the_app_starts_no_thread():
    code = ("import threading, fupin.ui.data, fupin.ui.frame, fupin.cli; "
            "assert 'fupin-rehash' not in [t.name for t in threading.enumerate()]")
    done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
