"""A store of an older layout keeps working: its current snapshot is rewritten as partitioned files, nothing lost."""

import datetime as dt
import json
import random
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import tiny_tables
from ledger_samples import csv_file, purchase

from fupin.ledger.importer import import_ledgers
from fupin.query.db import SnapshotDB
from fupin.query.filters import Filter
from fupin.store.schema import SCHEMA_VERSION
from fupin.store.snapshot import SnapshotError, read_table, sha256_of
from fupin.store.store import SnapshotStore

WRITTEN_BY_MAIN = Path(__file__).parent / "fixtures" / "store_v2"   # see fixtures/README.md
TABLES = tiny_tables(random.Random(7))


def v2_store(tmp_path) -> SnapshotStore:
    root = tmp_path / "data"
    shutil.copytree(WRITTEN_BY_MAIN, root)
    return SnapshotStore(root)


def as_schema_1(store: SnapshotStore) -> None:
    """Make the stored snapshot what schema 1 wrote: no county_code in any file, no counties or groups tables."""
    snapshot = store.current()
    manifest = dict(snapshot.manifest, schema_version=1)
    for name in ("counties", "groups"):
        (snapshot.path / manifest["tables"].pop(name)["file"]).unlink()
    for entry in manifest["tables"].values():
        path = snapshot.path / entry["file"]
        table = pq.read_table(path)
        if "county_code" in table.column_names:
            pq.write_table(table.drop_columns(["county_code"]), path)
        entry.update(bytes=path.stat().st_size, sha256=sha256_of(path))
    (snapshot.path / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def totals(snapshot) -> dict:
    db = SnapshotDB(snapshot, cache_entries=0)
    try:
        return {year: db.run_filtered("purchase_totals", Filter(dt.date(year, 1, 1), dt.date(year, 12, 31),
                                                                counties=("140827",))).iloc[0].to_dict()
                for year in (2017, 2018)}
    finally:
        db.close()


def expected_totals() -> dict:
    rows = TABLES["purchases"]
    years = rows["purchase_date"].map(lambda d: d.year)
    return {year: (int((years == year).sum()), rows.loc[years == year, "amount_yuan"].sum()) for year in (2017, 2018)}


@pytest.mark.parametrize("version", [2, 1])
def test_the_app_start_rewrites_an_older_current_snapshot_and_loses_nothing(tmp_path, version):
    store = v2_store(tmp_path)
    if version == 1:
        as_schema_1(store)
    old = store.current()
    assert old.needs_upgrade and old.manifest["schema_version"] == version
    with pytest.raises(SnapshotError, match="旧的存储格式"):
        SnapshotDB(old)

    store.clean_leftovers()                                   # what the app does once at start, under the lock

    new = store.current()
    assert new.manifest["schema_version"] == SCHEMA_VERSION and new.id != old.id
    assert new.manifest["parent"] == old.id and new.manifest["source"]["upgraded_from"] == old.id
    assert new.partitions("purchases") == {("140827", 2017), ("140827", 2018)}
    for name in ("purchases", "inspections", "cooperatives", "targets", "townships", "villages", "buyers"):
        assert new.rows(name) == len(TABLES[name])
        assert set(read_table(new, name).column("county_code").to_pylist()) == {"140827"}
    assert read_table(new, "counties").column("county_name").to_pylist() == ["垣曲县"]
    got = totals(new)
    for year, (records, amount) in expected_totals().items():
        assert got[year]["records"] == records and got[year]["amount_yuan"] == pytest.approx(amount)
    assert [s.id for s in store.list()] == [old.id, new.id]  # the old one stays listed, marked
    assert store.list()[0].needs_upgrade
    with pytest.raises(SnapshotError, match="需要升级"):
        store.set_current(old.id)
    served = store.serve(old.id)
    assert served.snapshot.id == new.id and "需要升级" in served.notices[0]
    store.clean_leftovers()
    assert len(store.list()) == 2                             # upgraded once only


def test_the_first_import_into_an_older_store_upgrades_it_first(tmp_path):
    store = v2_store(tmp_path)
    old = store.current()
    result = import_ledgers(store, "purchases", [csv_file([purchase()])])
    upgraded = store.get(result.snapshot.manifest["parent"])
    assert upgraded.manifest["source"]["upgraded_from"] == old.id
    assert result.snapshot.rows("purchases") == old.rows("purchases") + 1
    assert [s.id for s in store.list()] == [old.id, upgraded.id, result.snapshot.id]


def test_the_cli_upgrades_and_then_says_there_is_nothing_to_do(tmp_path, capsys):
    from fupin.cli import main as cli

    store = v2_store(tmp_path)
    old = store.current_id()
    assert cli.main(["--data", str(store.root), "upgrade"]) == 0
    assert f"由 {old} 改写" in capsys.readouterr().out
    assert cli.main(["--data", str(store.root), "upgrade"]) == 0
    assert "无需升级" in capsys.readouterr().out and len(store.list()) == 2
