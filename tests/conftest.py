"""Shared fixtures: a tiny hand-made snapshot with seeded rows, and its database."""

import datetime as dt
import os
import random
import re
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from cli_process import Forker

from fupin.query.db import SnapshotDB
from fupin.store import reference
from fupin.store.credit_code import make_cooperative_code
from fupin.store.snapshot import Snapshot
from fupin.store.store import SnapshotStore
from fupin.text import fmt
from fupin.ui.first_screen import WAITING

TINY_AS_OF = dt.date(2018, 12, 29)
TOWNSHIPS = [("140827100", "新城镇"), ("140827101", "历山镇"), ("140827203", "华峰乡")]
VILLAGES = [  # code, name, township, poor
    ("140827100200", "上王村委会", "140827100", False),
    ("140827100201", "下王村委会", "140827100", True),
    ("140827101216", "望仙村委会", "140827101", True),
    ("140827101217", "东峰村委会", "140827101", False),
    ("140827203216", "西型马村委会", "140827203", True),
    ("140827203218", "东型马村委会", "140827203", False),
]
BUYERS = [("B1", "万盛新时代广场", "supermarket"), ("B2", "金达制粉有限公司", "food_enterprise"),
          ("B3", "老王饭店", "catering"), ("B4", "东山农业开发有限公司", "base_company")]
CATEGORIES = [("粮食", "小麦", 2.4), ("蔬菜", "辣椒", 1.6), ("干鲜果品", "核桃", 8.8)]


def tiny_tables(rng: random.Random) -> dict[str, pd.DataFrame]:
    """Seeded rows for every table, small enough to check by hand."""
    purchases = []
    for i in range(400):
        village = rng.choice(VILLAGES)
        buyer = rng.choice(BUYERS)
        category, product, price = rng.choice(CATEGORIES)
        weight = round(rng.uniform(10, 1000), 2)
        purchases.append({
            "purchase_id": i + 1,
            "purchase_date": dt.date(2017, 1, 1) + dt.timedelta(days=rng.randrange(730)),
            "buyer_id": buyer[0], "buyer_type": buyer[2], "channel": ("retail", "canteen", "fair")[i % 3],
            "supplier_type": rng.choice(["cooperative", "poor_household", "farmer"]),
            "supplier_name": f"供货方{rng.randrange(20)}", "supplier_credit_code": None,
            "township_code": village[2], "village_code": village[0], "from_poor_village": village[3],
            "product_category": category, "product_name": product,
            "weight_kg": weight, "amount_yuan": round(weight * price, 2),
        })
    inspections = [{
        "inspection_id": i + 1,
        "sample_date": dt.date(2017, 1, 1) + dt.timedelta(days=rng.randrange(730)),
        "inspection_type": rng.choice(["lab", "rapid"]),
        "food_category": rng.choice(["蔬菜", "粮食加工品"]), "product_name": "样品",
        "venue_type": rng.choice(["超市", "农贸市场"]), "venue_name": "某市场",
        "township_code": rng.choice(TOWNSHIPS)[0],
        "result": "fail" if i % 10 == 0 else "pass", "failed_item": "毒死蜱" if i % 10 == 0 else None,
    } for i in range(120)]
    cooperatives = []
    for i in range(40):
        village = rng.choice(VILLAGES)
        registered = dt.date(2014, 1, 1) + dt.timedelta(days=rng.randrange(365 * 5))
        cooperatives.append({
            "credit_code": make_cooperative_code("140827", f"MA{i:07d}"),
            "cooperative_name": f"垣曲县{village[1][:2]}种植专业合作社{i}",
            "township_code": village[2], "village_code": village[0], "industry": "种植",
            "registered_date": registered,
            "deregistered_date": dt.date(2018, 6, 1) if i == 0 else None,
            "members": 10 + i, "poor_household_members": i % 5,
        })
    targets = [{"year": 2018, "scope_code": code, "metric": "purchase_amount_yuan", "target_value": 100000.0}
               for code, _ in TOWNSHIPS]
    targets.append({"year": 2018, "scope_code": "140827", "metric": "purchase_amount_yuan", "target_value": 300000.0})
    offers = [{
        "offer_id": i + 1, "township_code": village[2], "village_code": village[0],
        "supplier_type": "village_collective", "supplier_name": f"{village[1][:3]}股份经济合作社",
        "supplier_credit_code": None, "product_category": category, "product_name": product,
        "quantity_kg": quantity, "expected_price_yuan_per_kg": price,
        "harvest_from": start, "harvest_to": start + dt.timedelta(days=20), "keeps_days": keeps,
        "contact_name": "王建国", "contact_phone": "13900000000",
    } for i, (village, (category, product, price), quantity, start, keeps) in enumerate([
        (VILLAGES[4], CATEGORIES[2], 50_000.0, dt.date(2018, 9, 20), 180),
        (VILLAGES[2], CATEGORIES[0], 800.0, dt.date(2018, 6, 10), 365),
        (VILLAGES[0], CATEGORIES[1], 30_000.0, dt.date(2018, 11, 1), 60),
        (VILLAGES[5], CATEGORIES[1], 100.0, dt.date(2017, 8, 1), 10),
    ])]
    return {
        "purchases": pd.DataFrame(purchases),
        "offers": pd.DataFrame(offers),
        "inspections": pd.DataFrame(inspections),
        "cooperatives": pd.DataFrame(cooperatives),
        "targets": pd.DataFrame(targets),
        "counties": reference.counties(("140827",)),
        "groups": reference.groups(("140827",)),
        "townships": pd.DataFrame([{"township_code": c, "township_name": n, "first_year": 2016, "last_year": 2023,
                                    "successor_code": None, "lng": 111.7, "lat": 35.2} for c, n in TOWNSHIPS]),
        "villages": pd.DataFrame([{"village_code": c, "village_name": n, "township_code": t, "editions": "2018",
                                   "is_poor_village": p} for c, n, t, p in VILLAGES]),
        "buyers": pd.DataFrame([{"buyer_id": b, "buyer_name": n, "buyer_type": t, "township_code": "140827100"}
                                for b, n, t in BUYERS]),
    }


def write_snapshot(store: SnapshotStore, tables: dict, as_of: dt.date = TINY_AS_OF):
    """Write tables as a new current snapshot of the store."""
    with store.writer(as_of, {"kind": "test"}) as writer:
        for name, frame in tables.items():
            writer.write(name, frame)
        return writer.commit()


@pytest.fixture(scope="session")
def tiny_tables_data() -> dict[str, pd.DataFrame]:
    return tiny_tables(random.Random(42))


@pytest.fixture(scope="session")
def tiny_store(tmp_path_factory, tiny_tables_data) -> SnapshotStore:
    store = SnapshotStore(tmp_path_factory.mktemp("tiny"))
    write_snapshot(store, tiny_tables_data)
    return store


def copy_store(template: SnapshotStore, folder: Path) -> SnapshotStore:
    """A store of a test's own in `folder`: a copy of a session's store that no test writes to (its files, their times
    and hard links, as `cp -a` keeps them), made in a few ms where writing a snapshot takes ~0.4 s."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["cp", "-a", f"{template.root}/.", str(folder)], check=True)
    return SnapshotStore(folder)


@pytest.fixture(scope="session")
def two_snapshots_template(tmp_path_factory) -> SnapshotStore:
    """Two snapshots of different rows (seeds 1 and 2): the older a verified fallback for the newer, current one.
    Tests take copies (`copy_store`)."""
    store = SnapshotStore(tmp_path_factory.mktemp("two_snapshots"))
    write_snapshot(store, tiny_tables(random.Random(1)))
    write_snapshot(store, tiny_tables(random.Random(2)))
    return store


@pytest.fixture(scope="session")
def tiny_db(tiny_store) -> SnapshotDB:
    db = SnapshotDB(tiny_store.current())
    yield db
    db.close()


@pytest.fixture(scope="session")
def xlsx_bomb(tmp_path_factory) -> Path:
    """The issue's decompression bomb: a .xlsx of a few MB whose sheet unpacks to 1.1 GB of XML in 1,710,731 rows
    (built once, in ~10 s)."""
    from ledger_samples import BOMB_CELLS, BOMB_ROWS, sheet_xml, xlsx_with_sheet

    rows = sheet_xml(BOMB_ROWS, lambda n: f'<row r="{n}">{BOMB_CELLS}</row>')
    return xlsx_with_sheet(rows, tmp_path_factory.mktemp("bomb") / "采购台账.xlsx")


@pytest.fixture(scope="session")
def xlsx_1_2m_rows(tmp_path_factory) -> Path:
    """A .xlsx of 1,200,000 small rows and no <dimension>: compressed as a real sheet is, but more rows than Excel
    holds (built once, in a few seconds)."""
    from ledger_samples import sheet_xml, xlsx_with_sheet

    rows = sheet_xml(1_200_000, lambda n: f'<row r="{n}"><c r="A{n}"><v>{n * 7919 % 100_003}</v></c></row>')
    return xlsx_with_sheet(rows, tmp_path_factory.mktemp("rows") / "采购台账.xlsx")


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory) -> tuple[SnapshotStore, Snapshot, list[tuple[float, str]]]:
    """The default demo (垣曲县 and four more counties) at scale 1, built once per test worker: its store, the snapshot
    the build wrote and the progress it reported (fraction, message)."""
    from fupin.demo import build_demo

    store = SnapshotStore(tmp_path_factory.mktemp("demo"))
    reports: list[tuple[float, str]] = []
    snapshot = build_demo(store, scale=1, seed=42, progress=lambda fraction, message: reports.append((fraction, message)))
    return store, snapshot, reports


@pytest.fixture(scope="session")
def demo_store(demo_build) -> SnapshotStore:
    """The default demo's store."""
    return demo_build[0]


@pytest.fixture(scope="session")
def demo_all_store(tmp_path_factory) -> SnapshotStore:
    """The demo of every county (`python -m fupin demo --counties all`) at scale 1, built once per session."""
    from fupin.demo import build_demo

    store = SnapshotStore(tmp_path_factory.mktemp("demo_all"))
    build_demo(store, scale=1, seed=42, counties="all")
    return store


@pytest.fixture(scope="session")
def demo_db(demo_store) -> SnapshotDB:
    """The demo's current snapshot as a database, shared by every test that only reads it."""
    db = SnapshotDB(demo_store.current())
    yield db
    db.close()


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the whole session (each test opens its own context: cookies and pages apart)."""
    from browser import headless_chromium

    with headless_chromium() as browser:
        yield browser


CLI = Forker()   # one per test worker


def run_cli(*args, data: Path | None = None, env: dict | None = None, input: str | None = None,
            timeout: float = 300) -> subprocess.CompletedProcess:
    """`python -m fupin [--data DATA] ARGS...` in a process of its own, as a person runs it: its exit status, stdout
    and stderr as text (the process is forked from one with the command line's modules imported: `cli_process`)."""
    arguments = [*(["--data", str(data)] if data is not None else []), *map(str, args)]
    return CLI.run(arguments, {**os.environ, **(env or {})}, input, timeout)


def flip_byte_keeping_stat(path: Path) -> None:
    """Invert one byte in the middle of a file in place, then put its mtime back: size, mtime and inode are as before,
    so only hashing the bytes finds it (a failing disk, or a stray write followed by a careless restore)."""
    stat = path.stat()
    with open(path, "r+b") as f:
        f.seek(stat.st_size // 2)
        byte = f.read(1)[0]
        f.seek(stat.st_size // 2)
        f.write(bytes([255 - byte]))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def own_data_folder(store: SnapshotStore, folder: Path) -> Path:
    """A data folder of its own over a store's snapshots, where a test module creates accounts (sign-in on)."""
    (folder / "snapshots").symlink_to(store.snapshots_dir)
    (folder / "CURRENT").write_text(store.current_id())
    return folder


def sign_in(at, data_dir, role: str = "clerk", scope: str | None = "140827", name: str | None = None):
    """Give an AppTest session a signed-in account of `role` (created in the data folder when it is missing): a real
    sign-in session, whose id stands where a browser's cookie would (AppTest sends no cookies)."""
    from fupin.auth import accounts, sessions
    from fupin.ui.signin import SESSION_KEY

    name = name or role
    if accounts.find_user(data_dir, name) is None:
        accounts.add_user(data_dir, name, role, None if role == "admin" else scope, "secret-pass-1")
    at.session_state[SESSION_KEY] = sessions.start(data_dir, accounts.find_user(data_dir, name))
    return at


HEADING = re.compile(r"^(?P<label>.+?)(?:（(?P<zh>[^（）]+)）| \((?P<en>[^()]+)\))$")


def read_tile(heading: str, number: str) -> tuple[str, str]:
    """A tile as a person reads it, its heading's unit put back after the number: ("采购金额", "4154.6万元")."""
    found = HEADING.match(heading)
    if not found:
        return heading, number
    return found["label"], fmt.with_unit(number, found["zh"] or found["en"]) if number != "—" else number


def settled(at):
    """An AppTest app as a person sees it a moment after a run: when a session's first run stopped after the first
    screen (fupin.ui.first_screen), the browser's timer asks for the rest; AppTest runs no timers, so run it here."""
    if WAITING in at.session_state:
        at.run()
    return at


def app_tiles(app) -> dict[str, str]:
    """An AppTest page's tiles: label -> value with its unit."""
    return dict(read_tile(m.label, m.value) for m in app.metric)


def page_warnings(app) -> list[str]:
    """An AppTest page's warnings but the sidebar's demo-mode label (tests run without accounts: demo mode)."""
    from fupin.text.i18n import t

    demo = {t("demo_mode", lang) for lang in ("zh", "en")}
    return [w.value for w in app.warning if w.value not in demo]


HEAVY = ("browser", "server", "slow")


def pytest_collection_modifyitems(items):
    """The modules with a browser, a server or a slow test first: the two workers (`-n 2 --dist loadfile`) take them
    while the many quick modules fill the gaps, rather than one worker ending on a long module alone."""
    heavy = {item.path for item in items if any(item.get_closest_marker(name) for name in HEAVY)}
    items.sort(key=lambda item: item.path not in heavy)
