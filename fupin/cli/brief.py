"""`python -m fupin brief`: the brief of a scope or township as text, JSON, HTML or PDF."""

import argparse
import datetime as dt
import sys
from pathlib import Path

import pyarrow.parquet as pq

from ..ledger.places import Places
from ..ledger.values import ValueProblem
from ..store.snapshot import Snapshot
from ..store.store import SnapshotStore
from .common import open_snapshot, write_atomically
from .errors import UsageError


def add_parser(sub) -> None:
    """The `brief` command's arguments."""
    br = sub.add_parser("brief", help="输出简报数字")
    br.add_argument("--data", type=Path, default=argparse.SUPPRESS)
    br.add_argument("--snapshot", help="快照编号（默认当前快照）")
    br.add_argument("--as-of", help="截至日期 YYYY-MM-DD（默认快照日期）")
    br.add_argument("--from", dest="date_from", help="起始日期 YYYY-MM-DD，与截至日期同年（默认该年1月1日；如国庆期间"
                                                     "的三专销售：--from 2020-10-01 --as-of 2020-10-08）")
    br.add_argument("--scope", help="范围：县（区）代码（如 140827）、市代码（如 610900）或组代码（如 samr），默认首个县")
    br.add_argument("--township", help="乡镇名称或9位代码（如 华峰乡、140827203，按截至日期当年的区划），默认全县")
    br.add_argument("--format", choices=("text", "json", "html", "pdf"), default="text",
                    help="text、json，或与简报页相同的 html / A4 pdf（须给 --output）")
    br.add_argument("--lang", choices=("zh", "en"), default="zh", help="text、html、pdf 的语言（默认中文）")
    br.add_argument("--output", type=Path, help="写入此文件（整体写入，不留半个文件）；默认输出到屏幕")
    br.set_defaults(func=run_brief)


def parse_date(text: str) -> dt.date:
    """A YYYY-MM-DD date, or UsageError."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"日期无效: {text!r}（应为 YYYY-MM-DD，例如 2018-12-29）") from None


def township_scope(snapshot: Snapshot, text: str, year: int, counties: tuple[str, ...] | None = None) -> tuple[str, str]:
    """The code and name of the township a name or code means in a year, among the townships of `counties` (all
    when None), read as the importer reads ledgers (华峰乡, 华峰 or 140827203; 英言乡 in 2020 is 英言镇);
    ValueProblem when there is none."""
    townships = pq.read_table(snapshot.table_path("townships")).to_pandas()
    villages = pq.read_table(snapshot.table_path("villages")).to_pandas()
    if counties is not None:
        townships = townships[townships["county_code"].isin(counties)]
        villages = villages[villages["county_code"].isin(counties)]
    code = Places(townships, villages).township(text.strip(), year)
    return code, townships.set_index("township_code").at[code, "township_name"]


def _filter(args, as_of: dt.date, counties: tuple[str, ...], township: str | None):
    """The brief's filter: from --from (default 1 January) to the as-of date; UsageError for a start after it or in
    another year (the brief's year-to-date figures and targets are those of one year)."""
    from ..query.filters import Filter

    start = parse_date(args.date_from) if args.date_from else dt.date(as_of.year, 1, 1)
    if start > as_of or start.year != as_of.year:
        raise UsageError(f"--from {start} 须不晚于截至日期 {as_of}，且在同一年")
    return Filter(start, as_of, counties=counties, township=township)


def run_brief(args) -> int:
    from ..query import scope
    from ..query.db import SnapshotDB
    from ..report import brief, briefing
    from ..report.briefing_pdf import NoBrowser, pdf_bytes

    if args.format in ("html", "pdf") and not args.output:
        raise UsageError(f"--format {args.format} 需要 --output 文件")
    store = SnapshotStore(args.data)
    snapshot = open_snapshot(store, args.snapshot)
    as_of = parse_date(args.as_of) if args.as_of else snapshot.as_of
    db = SnapshotDB(snapshot)
    try:
        chosen = scope.find(db, args.scope) if args.scope else scope.default(db)
        if chosen is None:
            known = "、".join(s.code for s in scope.scopes(db))
            raise UsageError(f"未知的范围: {args.scope}（可用：{known}）")
        counties, code, name = chosen.counties, chosen.code, chosen.name
        township = None
        if args.township:
            try:
                township, name = township_scope(snapshot, args.township, as_of.year,
                                                      chosen.counties if args.scope else None)
            except ValueProblem as e:
                raise UsageError(f"{e}: {args.township}") from None
            counties, code = (township[:6],), township
        flt = _filter(args, as_of, counties, township)
        names = scope.county_names(db)
        if args.format in ("html", "pdf"):
            page = briefing.build(db, flt, code, name, args.lang, args.data, names,
                                  township_name=name if township else None).html(args.lang)
        else:
            result = brief.build(db, flt, code, name, county_names=names)
    finally:
        db.close()
    if args.format == "pdf":
        try:
            output = pdf_bytes(page)
        except NoBrowser as e:
            raise UsageError(str(e)) from None
    elif args.format == "html":
        output = page.encode("utf-8")
    else:
        output = (brief.to_json(result) if args.format == "json" else brief.render(result, args.lang)).encode("utf-8")
    if args.output:
        write_atomically(args.output, output if args.format in ("html", "pdf") else output + b"\n")
        print(f"已写入 {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(output.decode("utf-8") + "\n")
    return 0
