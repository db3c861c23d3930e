"""The import report: one line per problem, duplicate, update or hint, with file, row, column, value and the reason
in Chinese."""

from dataclasses import dataclass, field

import pandas as pd

# HINT: a value read through the synonym table (超市 as 商超), said so that staff can check it.
ERROR, DUPLICATE, UPDATE, HINT = "错误", "重复", "更新", "提示"
COLUMNS = {"file": "文件", "row": "行号", "column": "列", "value": "值", "reason": "原因", "kind": "类型"}


@dataclass
class Report:
    """Everything an import has to tell about the rows it read."""

    entries: list[dict] = field(default_factory=list)

    def add(self, file: str, row: int | None, column: str | None, value: str | None, reason: str, kind: str) -> None:
        self.entries.append({"file": file, "row": row, "column": column, "value": value, "reason": reason,
                             "kind": kind})

    def count(self, kind: str) -> int:
        return sum(1 for e in self.entries if e["kind"] == kind)

    def frame(self) -> pd.DataFrame:
        """The report as a table with Chinese column names: errors, duplicates, updates, hints, each in file and row
        order."""
        frame = pd.DataFrame(self.entries, columns=list(COLUMNS), dtype=object)
        frame["row"] = frame["row"].astype("Int64")
        order = frame["kind"].map({ERROR: 0, DUPLICATE: 1, UPDATE: 2, HINT: 3})
        frame = frame.assign(_order=order).sort_values(["_order", "file", "row"], kind="stable", na_position="first")
        return frame.drop(columns="_order").rename(columns=COLUMNS).reset_index(drop=True)

    def to_csv(self) -> bytes:
        """The report as CSV in UTF-8 with a BOM, so Excel opens the Chinese correctly."""
        return self.frame().to_csv(index=False).encode("utf-8-sig")

    def to_text(self, limit: int = 50) -> str:
        """The first `limit` lines of the report as plain text for the terminal."""
        lines = []
        for e in self.frame().head(limit).to_dict("records"):
            where = f"{e['文件']}" + (f" 第{e['行号']}行" if pd.notna(e["行号"]) else "")
            column = f" [{e['列']}]" if e["列"] else ""
            value = f" “{e['值']}”" if e["值"] is not None and pd.notna(e["值"]) else ""
            lines.append(f"{e['类型']}  {where}{column}{value}：{e['原因']}")
        if len(self.entries) > limit:
            lines.append(f"……另有 {len(self.entries) - limit} 条未显示")
        return "\n".join(lines)
