"""Township staff import only their own township's rows: find every ledger row whose 乡镇 names another township.

A cell passes when every township its name or code can mean (in any year) is the user's township or one it
replaced or was replaced by (英言乡 / 英言镇); a name shared with another township (of another county, say) does
not, so staff write the 9-digit code then. Blank or unknown cells are left to the importer's own row checks.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field

import pyarrow.parquet as pq

from ..auth.permissions import TOWNSHIP_TABLES
from ..store.snapshot import Snapshot
from .files import LedgerFile
from .plan import read_ledger
from .values import clean

EXAMPLES = 10


@dataclass
class TownshipCheck:
    """Rows of other townships: how many, and the first few as “file 第n行：乡镇”."""

    township_name: str
    outside: int = 0
    examples: list[str] = field(default_factory=list)

    @property
    def message(self) -> str | None:
        """One Chinese sentence refusing the import, or None when every row is in the township."""
        if not self.outside:
            return None
        return (f"乡镇账号只能导入{self.township_name}的数据：有 {self.outside:,} 行属于其他乡镇"
                f"（{'；'.join(self.examples)}）。没有导入任何数据。")


def _stem(name: str) -> str:
    return re.sub(r"[乡镇]$", "", name)


def _meanings(snapshot: Snapshot) -> tuple[dict[str, set[str]], dict[str, set[str]], dict[str, str]]:
    """Name, stem or code -> township codes; code -> codes it replaced or was replaced by; code -> name."""
    towns = pq.read_table(snapshot.table_path("townships"),
                          columns=["township_code", "township_name", "successor_code"]).to_pylist()
    meanings, related = defaultdict(set), defaultdict(set)
    for row in towns:
        code, name, successor = row["township_code"], row["township_name"], row["successor_code"]
        for key in (code, name, _stem(name)):
            meanings[key].add(code)
        if successor:
            related[code].add(successor)
            related[successor].add(code)
    return meanings, related, {row["township_code"]: row["township_name"] for row in towns}


def _lineage(code: str, related: dict[str, set[str]]) -> set[str]:
    found, pending = set(), [code]
    while pending:
        current = pending.pop()
        if current not in found:
            found.add(current)
            pending += related[current]
    return found


def check_township_rows(snapshot: Snapshot, table: str, files: list[LedgerFile], township: str,
                        sheet: str | None = None) -> TownshipCheck:
    """The rows of `files` (a ledger of `table`) whose township is not `township`; a table without townships
    (targets) counts every file as outside."""
    meanings, related, names = _meanings(snapshot)
    result = TownshipCheck(names.get(township, township))
    if table not in TOWNSHIP_TABLES:
        result.outside = len(files)
        result.examples = [f"{f.name}：年度目标由县里设定" for f in files][:EXAMPLES]
        return result
    own = _lineage(township, related)
    for file in files:
        ledger = read_ledger(file, table, sheet)
        if ledger.header is None:   # a file the importer rejects whole anyway
            continue
        for chunk in ledger.chunks():
            for row, cell in chunk["township"].items():
                text = clean(cell)
                codes = (meanings.get(text) or meanings.get(_stem(text), set())) if text else set()
                if codes and not codes <= own:
                    result.outside += 1
                    if len(result.examples) < EXAMPLES:
                        result.examples.append(f"{file.name} 第{row}行：{text}")
    return result
