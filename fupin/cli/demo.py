"""`python -m fupin demo`: generate the demo snapshot."""

import argparse
import json
from pathlib import Path

from ..store.store import SnapshotStore
from .common import progress_bar


def add_parser(sub) -> None:
    """The `demo` command's arguments."""
    demo = sub.add_parser("demo", help="生成演示快照")
    demo.add_argument("--data", type=Path, default=argparse.SUPPRESS)
    demo.add_argument("--scale", type=int, default=1, help="采购记录倍数（100 约一千万行）")
    demo.add_argument("--seed", type=int, default=42)
    demo.add_argument("--counties", choices=("default", "all"), default="default",
                      help="default：垣曲县、礼县、抚远市、同江市、商州区、铁西区；all：再加安康市十个县区")
    demo.set_defaults(func=run_demo)


def run_demo(args) -> int:
    from ..demo import build_demo

    store = SnapshotStore(args.data)
    snapshot = build_demo(store, scale=args.scale, seed=args.seed, progress=progress_bar, counties=args.counties)
    rows = {name: entry["rows"] for name, entry in snapshot.manifest["tables"].items()}
    print(f"演示快照 {snapshot.id} 已生成: {json.dumps(rows, ensure_ascii=False)}")
    return 0
