"""The import report: one line per problem, duplicate, update or hint, with file, row, column, value and the reason
in Chinese."""

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from ..text.export import csv_bytes

# HINT: a value read through the synonym table (超市 as 商超), said so that staff can check it.
ERROR, DUPLICATE, UPDATE, HINT = "错误", "重复", "更新", "提示"
COLUMNS = {"file": "文件", "row": "行号", "column": "列", "value": "值", "reason": "原因", "kind": "类型"}
# Lines kept in a report: a file of millions of bad rows is counted in full but listed only this far.
LIMIT = 50_000


@dataclass
class Report:
    """Everything an import has to tell about the rows it read (every line counted, the first `limit` kept)."""

    entries: list[dict] = field(default_factory=list)
    limit: int = field(default_factory=lambda: LIMIT)
    counts: Counter = field(default_factory=Counter)

    def add(self, file: str, row: int | None, column: str | None, value: str | None, reason: str, kind: str) -> None:
        self.counts[kind] += 1
        if len(self.entries) < self.limit:
            self.entries.append({"file": file, "row": row, "column": column, "value": value, "reason": reason,
                                 "kind": kind})

    def count(self, kind: str) -> int:
        return self.counts[kind]

    @property
    def omitted(self) -> int:
        """Lines counted but not kept."""
        return sum(self.counts.values()) - len(self.entries)

    def frame(self) -> pd.DataFrame:
        """The report as a table with Chinese column names: errors, duplicates, updates, hints, each in file and row
        order; a last line says how many were left out when there were more than `limit`."""
        frame = pd.DataFrame(self.entries, columns=list(COLUMNS), dtype=object)
        frame["row"] = frame["row"].astype("Int64")
        order = frame["kind"].map({ERROR: 0, DUPLICATE: 1, UPDATE: 2, HINT: 3})
        frame = frame.assign(_order=order).sort_values(["_order", "file", "row"], kind="stable", na_position="first")
        frame = frame.drop(columns="_order").reset_index(drop=True)
        if self.omitted:
            more = pd.DataFrame([{"file": "", "row": pd.NA, "column": None, "value": None, "kind": "",
                                  "reason": f"另有 {self.omitted:,} 条未列出（报告最多列出 {self.limit:,} 条）"}])
            frame = pd.concat([frame, more.astype(frame.dtypes.to_dict())], ignore_index=True)
        return frame.rename(columns=COLUMNS)

    def to_csv(self) -> bytes:
        """The report as CSV in UTF-8 with a BOM, so Excel opens the Chinese correctly; cells that Excel would run
        as formulas (from ledger cells or file names) are neutralised as in every other export."""
        return csv_bytes(self.frame())

    def to_text(self, limit: int = 50) -> str:
        """The first `limit` lines of the report as plain text for the terminal."""
        lines = []
        for e in self.frame().head(limit).to_dict("records"):
            if not e["类型"]:
                continue
            where = f"{e['文件']}" + (f" 第{e['行号']}行" if pd.notna(e["行号"]) else "")
            column = f" [{e['列']}]" if e["列"] else ""
            value = f" “{e['值']}”" if e["值"] is not None and pd.notna(e["值"]) else ""
            lines.append(f"{e['类型']}  {where}{column}{value}：{e['原因']}")
        total = sum(self.counts.values())
        if total > limit:
            lines.append(f"……另有 {total - limit:,} 条未显示")
        return "\n".join(lines)
