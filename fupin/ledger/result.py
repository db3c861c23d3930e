"""What an import tells the user: its status, counts per file, the report, and one Chinese sentence."""

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from ..store.snapshot import Snapshot
from ..text.fmt import data_label
from .columns import TABLE_LABELS
from .report import ERROR, Report

MODE_LABELS = {"append": "追加", "replace": "替换"}


@dataclass
class FileSummary:
    """What became of one file's rows (rows added and updated stay 0 when the import is rejected)."""

    name: str
    sha256: str
    rows: int = 0
    added: int = 0
    updated: int = 0
    duplicates: int = 0
    rejected: int = 0
    imported_before: dict | None = None


@dataclass
class ImportResult:
    """The outcome of an import or a dry run: status, per-file counts, the report and the new snapshot if any."""

    table: str
    mode: str
    dry_run: bool
    status: str                 # "imported", "unchanged", "rejected", or "checked" for a dry run that would import
    files: list[FileSummary]
    report: Report
    snapshot: Snapshot | None = None
    as_of: dt.date | None = None
    notices: tuple[str, ...] = ()   # why the parent was not CURRENT's snapshot (CURRENT missing or invalid)

    @property
    def accepted(self) -> bool:
        return self.status != "rejected"

    def _total(self, field: str) -> int:
        return sum(getattr(f, field) for f in self.files)

    @property
    def message(self) -> str:
        """One Chinese sentence for the user."""
        if self.status == "rejected":
            return (f"已拒绝：发现 {self.report.count(ERROR):,} 处错误，没有导入任何数据。"
                    "请按报告改正后重新导入，或选择“只导入有效行”。")
        if self.status == "unchanged" and all(f.imported_before for f in self.files):
            return "文件已导入过（内容相同），快照未改变。"
        if self.status == "unchanged":
            return f"没有需要导入的新数据：各行都已在快照中（跳过重复 {self._total('duplicates'):,} 行），快照未改变。"
        counts = f"新增 {self._total('added'):,} 行"
        if self._total("updated"):
            counts += f"、更新 {self._total('updated'):,} 行"
        if self._total("duplicates"):
            counts += f"，跳过重复 {self._total('duplicates'):,} 行"
        if self._total("rejected"):
            counts += f"，未导入有错误的 {self._total('rejected'):,} 行"
        if self.status == "checked":
            return f"预检通过：将{MODE_LABELS[self.mode]}{TABLE_LABELS[self.table]}，{counts}（尚未写入）。"
        return f"已导入{TABLE_LABELS[self.table]}：{counts}。新快照（{data_label(self.snapshot)}）已设为当前快照。"


def file_summaries(result: ImportResult) -> pd.DataFrame:
    """Per-file counts of an import, with Chinese column names."""
    return pd.DataFrame([{
        "文件": f.name, "数据行": f.rows, "新增": f.added, "更新": f.updated, "重复跳过": f.duplicates,
        "有错误": f.rejected, "此前已导入": "是" if f.imported_before else "",
    } for f in result.files], columns=["文件", "数据行", "新增", "更新", "重复跳过", "有错误", "此前已导入"])
