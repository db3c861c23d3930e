"""Deciding what one import changes: files read, rows checked against the parent snapshot, duplicates sorted out."""

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from ..snapshots import Snapshot
from .buyers import Buyers
from .columns import LEDGERS, find_header, ledger_frame
from .dedup import Sorting, sort_rows
from .existing import Existing
from .files import LedgerFile, LedgerFileError, read_grid
from .history import beijing_time
from .places import Places
from .report import DUPLICATE, ERROR, HINT, UPDATE, Report
from .result import FileSummary, ImportResult
from .rows import ID_COLUMNS, to_rows
from .validation import Context, validate
from .values import CODED, clean
from .writing import Change

HEADERS_ONLY = "只有表头，没有数据行"
FILE_IMPORTED = "此文件（内容相同）已于 {time} 导入过，不再重复导入"
SYNONYM_READ = "按“{label}”导入"
SYNONYM_ROWS = "（共 {rows} 行，首行见行号）"
DATE_COLUMNS = {"purchases": ("purchase_date",), "inspections": ("sample_date",),
                "cooperatives": ("registered_date", "deregistered_date"), "targets": ()}

Progress = Callable[[float, str], None]


@dataclass
class Ledger:
    """One file as read: its rows under ledger column names, the headers as written, and what stops it."""

    file: LedgerFile
    frame: pd.DataFrame | None = None
    titles: dict = field(default_factory=dict)
    header_row: int | None = None
    problems: list[tuple[str | None, str]] = field(default_factory=list)  # (header, reason)


def read_ledger(file: LedgerFile, table: str, sheet: str | None = None) -> Ledger:
    """Read one file and find its columns; problems that stop the whole file are kept, not raised."""
    ledger = Ledger(file)
    try:
        grid = read_grid(file, sheet)
    except LedgerFileError as e:
        ledger.problems.append((None, str(e)))
        return ledger
    header = find_header(grid, table)
    ledger.header_row = header.row + 1
    ledger.titles = header.titles
    ledger.problems += [(p.header, p.reason) for p in header.problems]
    if not header.problems:
        ledger.frame = ledger_frame(grid, header, table)
        if ledger.frame.empty:
            ledger.problems.append((None, HEADERS_ONLY))
    return ledger


def live_imports(history: list[dict], table: str) -> list[dict]:
    """The earlier imports of a table whose rows it still holds: those since it was last replaced."""
    entries = [e for e in history if e["table"] == table]
    replaced = [e["import_id"] for e in entries if e["mode"] == "replace"]
    if replaced:
        start = next(i for i, e in enumerate(entries) if e["import_id"] == replaced[-1])
        entries = entries[start:]
    return entries


def imported_before(ledgers: list[Ledger], parent: Snapshot, table: str, mode: str) -> dict[int, dict]:
    """Files (by position) whose very content the table already holds, so importing them again changes nothing."""
    live = live_imports(parent.manifest.get("imports", []), table)
    by_hash = {e["sha256"]: e for e in live}
    if mode == "append":
        return {i: by_hash[ledger.file.sha256] for i, ledger in enumerate(ledgers) if ledger.file.sha256 in by_hash}
    one_replace = bool(live) and live[0]["mode"] == "replace" and len({e["import_id"] for e in live}) == 1
    if one_replace and {ledger.file.sha256 for ledger in ledgers} == set(by_hash):
        return {i: by_hash[ledger.file.sha256] for i, ledger in enumerate(ledgers)}
    return {}


@dataclass
class _Checked:
    """The rows of the files to import, checked and converted, with what becomes of each."""

    cells: pd.DataFrame       # cell texts as written, by position
    problems: pd.DataFrame    # position, column, reason
    rows: pd.DataFrame        # table rows of the valid positions
    sorting: Sorting
    buyers: Buyers | None
    last_ids: dict


class Planner:
    """Works out one import against the parent snapshot: the report, the counts, and the change to write."""

    def __init__(self, parent: Snapshot, table: str, mode: str, ledgers: list[Ledger]):
        self.parent, self.table, self.mode, self.ledgers = parent, table, mode, ledgers
        self.report = Report()
        self.summaries = [FileSummary(ledger.file.name, ledger.file.sha256) for ledger in ledgers]
        self.origin: list[tuple[int, int]] = []   # position -> (ledger, row number)

    def plan(self, only_valid: bool, dry_run: bool, progress: Progress) -> tuple[ImportResult, Change | None]:
        """The result an import would have, and the change to write (None when nothing is written)."""
        result = ImportResult(self.table, self.mode, dry_run, "rejected", self.summaries, self.report)
        todo = self._check_files()
        if self.report.count(ERROR):
            return result, None
        if not todo:
            result.status = "unchanged"
            return result, None
        checked = self._check_rows(todo, progress)
        rejected = set(checked.problems["position"]) | set(checked.sorting.conflicts)
        taken = checked.rows.drop(index=[p for p in checked.rows.index
                                         if p in rejected or p in checked.sorting.duplicates])
        self._report(checked)
        self._count(rejected, checked.sorting, taken if only_valid or not rejected else taken.iloc[:0])
        if (rejected and not only_valid) or (taken.empty and not checked.sorting.duplicates):
            return result, None
        if taken.empty:
            result.status = "unchanged"
            return result, None
        result.status = "checked" if dry_run else "imported"
        result.as_of = max([self.parent.as_of, *(d for c in DATE_COLUMNS[self.table] for d in taken[c] if d)])
        return result, Change(
            table=self.table, mode=self.mode, rows=taken.reset_index(drop=True), as_of=result.as_of,
            source={"kind": "import", "table": self.table, "mode": self.mode,
                    "files": [self.ledgers[i].file.name for i in todo]},
            imports=self._history_entries(todo),
            replaced_keys=checked.sorting.replaced_keys,
            new_buyers=[b for b in checked.buyers.added if b["buyer_id"] in set(taken["buyer_id"])]
            if checked.buyers else [],
            first_id=checked.last_ids[ID_COLUMNS[self.table]] + 1 if self.table in ID_COLUMNS else 1,
        )

    def _check_files(self) -> list[int]:
        """Report what stops whole files and files imported before; the positions of the files left to import."""
        for ledger in self.ledgers:
            for header, reason in ledger.problems:
                self.report.add(ledger.file.name, ledger.header_row if header else None, header, None, reason, ERROR)
        before = imported_before(self.ledgers, self.parent, self.table, self.mode)
        for i, entry in before.items():
            self.summaries[i].imported_before = entry
            self.report.add(self.ledgers[i].file.name, None, None, None,
                            FILE_IMPORTED.format(time=beijing_time(entry["imported_at"])), DUPLICATE)
        todo = [i for i in range(len(self.ledgers)) if i not in before]
        for i in todo:
            self.summaries[i].rows = 0 if self.ledgers[i].frame is None else len(self.ledgers[i].frame)
        return todo

    def _check_rows(self, todo: list[int], progress: Progress) -> _Checked:
        """Validate every row of the files left to import, convert the valid ones and sort out duplicates."""
        cells = pd.concat([self.ledgers[i].frame for i in todo], ignore_index=True)
        self.origin = [(i, row) for i in todo for row in self.ledgers[i].frame.index]
        cleaned = pd.DataFrame({c: [clean(v) for v in cells[c]] for c in cells}, index=cells.index, dtype=object)
        existing = Existing(self.parent)
        try:
            progress(0.15, "逐行校验")
            places = Places(pd.DataFrame(existing.register("townships")), pd.DataFrame(existing.register("villages")))
            buyers = Buyers(pd.DataFrame(existing.register("buyers"))) if self.table == "purchases" else None
            if buyers:
                buyers.learn(cleaned["buyer_name"], cleaned["buyer_type"])
            ctx = Context(places, buyers)
            problems = validate(cleaned, self.table, ctx)
            progress(0.3, "换算代码和数值")
            rows = to_rows(cleaned.drop(index=problems["position"].unique()), self.table, ctx)
            progress(0.4, "查找重复")
            sorting = sort_rows(rows, self.table, self.mode, existing, self._where)
            return _Checked(cells, problems, rows, sorting, buyers, existing.last_ids())
        finally:
            existing.close()

    def _where(self, position: int) -> str:
        i, row = self.origin[position]
        return f"{self.ledgers[i].file.name} 第{row}行"

    def _report(self, checked: _Checked) -> None:
        def add(position: int, column: str | None, reason: str, kind: str) -> None:
            i, row = self.origin[position]
            ledger = self.ledgers[i]
            if column is None:
                self.report.add(ledger.file.name, row, None, None, reason, kind)
                return
            header = ledger.titles.get(column) or next(c.header for c in LEDGERS[self.table] if c.name == column)
            self.report.add(ledger.file.name, row, header, checked.cells.at[position, column], reason, kind)

        for p in checked.problems.itertuples(index=False):
            add(p.position, p.column, p.reason, ERROR)
        for position, (column, reason) in checked.sorting.conflicts.items():
            add(position, column, reason, ERROR)
        for position, reason in checked.sorting.duplicates.items():
            add(position, None, reason, DUPLICATE)
        for position, reason in checked.sorting.updates.items():
            add(position, None, reason, UPDATE)
        self._report_synonyms(checked.cells)

    def _report_synonyms(self, cells: pd.DataFrame) -> None:
        """One 提示 line per file, column and word read through the synonym table (超市 as 商超), at its first row."""
        for column in LEDGERS[self.table]:
            coded = CODED.get(column.kind)
            if coded is None:
                continue
            values = cells[column.name]
            words = {v for v in values.dropna().unique() if clean(v) and coded.synonym(clean(v))}
            rows: dict[tuple[int, str], list[int]] = {}
            for position in values.index[values.isin(words)]:
                i, row = self.origin[position]
                rows.setdefault((i, values.at[position]), []).append(row)
            for (i, word), numbers in rows.items():
                ledger = self.ledgers[i]
                reason = SYNONYM_READ.format(label=coded.codes[coded.synonym(clean(word))][0])
                if len(numbers) > 1:
                    reason += SYNONYM_ROWS.format(rows=len(numbers))
                self.report.add(ledger.file.name, min(numbers), ledger.titles.get(column.name) or column.header,
                                word, reason, HINT)

    def _count(self, rejected: set, sorting: Sorting, taken: pd.DataFrame) -> None:
        for position in rejected:
            self.summaries[self.origin[position][0]].rejected += 1
        for position in sorting.duplicates:
            self.summaries[self.origin[position][0]].duplicates += 1
        for position in taken.index:
            summary = self.summaries[self.origin[position][0]]
            if position in sorting.updates:
                summary.updated += 1
            else:
                summary.added += 1

    def _history_entries(self, todo: list[int]) -> list[dict]:
        """One entry per imported file for the manifest's imports list; one import_id for the whole import."""
        import_id = uuid.uuid4().hex
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        return [{
            "import_id": import_id, "file": s.name, "sha256": s.sha256, "table": self.table, "mode": self.mode,
            "rows_in_file": s.rows, "rows_added": s.added, "rows_updated": s.updated,
            "duplicates_skipped": s.duplicates, "rejected_rows": s.rejected, "imported_at": now,
        } for s in (self.summaries[i] for i in todo)]
