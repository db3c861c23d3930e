"""Deciding what one import changes: files read, rows checked against the parent snapshot, duplicates sorted out.

Rows are read again from the file, checked and converted in chunks of CHUNK_ROWS; the checked rows and what becomes of
them wait in the import's workspace (existing.Existing), so memory stays bounded whatever the ledger's size.
"""

import bisect
import datetime as dt
import itertools
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..auth import audit
from ..store.snapshot import Snapshot
from .budget import Budget
from .buyers import Buyers
from .channel_rules import Registers
from .columns import HEADER_SEARCH_ROWS, LEDGERS, Header, count_data_rows, find_header, ledger_chunks
from .dedup import ALREADY_THERE, REGISTER_KEYS, sort_rows
from .existing import Existing
from .files import EMPTY_FILE, LedgerFile, LedgerFileError, iter_rows
from .history import beijing_time
from .places import Places
from .plan_checks import paired_units
from .report import DUPLICATE, ERROR, HINT, UPDATE, Report
from .result import FileSummary, ImportResult
from .rows import ID_COLUMNS, to_rows
from .validation import Context, row_counties, validate
from .values import CODED, clean
from .writing import Change

HEADERS_ONLY = "只有表头，没有数据行"
FILE_IMPORTED = "此文件（内容相同）已于 {time} 导入过，不再重复导入"
SYNONYM_READ = "按“{label}”导入"
SYNONYM_ROWS = "（共 {rows} 行，首行见行号）"
REPEATED = "与{first}完全相同，只计一次"
# Rows checked at a time: memory is bounded by this, not by the ledger's size, and so is the time between two calls
# of the progress callback, where a page whose session ended stops a check (300,000 rows here: 24 s either way; at
# most 1.2 s between calls and 130 MB less at the peak than with 50,000).
CHUNK_ROWS = 10_000

Progress = Callable[[float, str], None]


@dataclass
class Ledger:
    """One file as read: where its header is, how many data rows it has, and what stops it. Its rows are read
    again, chunk by chunk, when they are checked (under the check's time budget, if it has one)."""

    file: LedgerFile
    table: str = "purchases"
    sheet: str | None = None
    header: Header | None = None
    titles: dict = field(default_factory=dict)
    header_row: int | None = None
    rows: int = 0
    problems: list[tuple[str | None, str]] = field(default_factory=list)  # (header, reason)
    budget: Budget | None = field(default=None, repr=False, compare=False)

    def read_rows(self) -> Iterator[list[str | None]]:
        """Every row of the file, as cell texts, watched by the budget."""
        rows = iter_rows(self.file, self.sheet)
        return self.budget.rows(rows) if self.budget else rows

    def chunks(self, size: int | None = None) -> Iterator[pd.DataFrame]:
        """The data rows in DataFrames of at most `size` (CHUNK_ROWS) rows, indexed by the row number a person
        sees in Excel."""
        rows = self.read_rows()
        for _ in range(self.header.row + 1):
            next(rows, None)
        yield from ledger_chunks(rows, self.header, self.table, self.header.row + 2, size or CHUNK_ROWS)


def _holds_anything(rows) -> bool:
    return any(any(cell is not None and cell.strip() for cell in row) for row in rows)


def read_ledger(file: LedgerFile, table: str, sheet: str | None = None, budget: Budget | None = None) -> Ledger:
    """Read one file through once: find its columns and count its rows; problems that stop the whole file are kept,
    not raised (CheckTimeout is: it stops the whole check)."""
    ledger = Ledger(file, table, sheet, budget=budget)
    try:
        rows = ledger.read_rows()
        top = list(itertools.islice(rows, HEADER_SEARCH_ROWS))
        header = find_header(top, table)
        if header.problems:
            found = _holds_anything(top) or _holds_anything(rows)
        else:
            ledger.rows = count_data_rows(itertools.chain(top[header.row + 1:], rows), header)
            found = True
    except LedgerFileError as e:
        ledger.problems.append((None, str(e)))
        return ledger
    if not found:
        ledger.problems.append((None, EMPTY_FILE))
        return ledger
    ledger.header_row = header.row + 1
    ledger.titles = header.titles
    ledger.problems += [(p.header, p.reason) for p in header.problems]
    if not header.problems:
        ledger.header = header
        if not ledger.rows:
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


def _cleaned(cells: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({c: [clean(v) for v in cells[c]] for c in cells}, index=cells.index, dtype=object)


class Planner:
    """Works out one import against the parent snapshot: the report, the counts, and the change to write.

    The checked rows wait in `existing`, which must stay open until the change is written.
    """

    def __init__(self, parent: Snapshot, table: str, mode: str, ledgers: list[Ledger], existing: Existing,
                 counties: tuple[str, ...] | None = None, by: str | None = None):
        self.parent, self.table, self.mode, self.ledgers = parent, table, mode, ledgers
        self.counties, self.by = counties, by or audit.os_user()
        self.existing = existing
        self.report = Report()
        self.summaries = [FileSummary(ledger.file.name, ledger.file.sha256) for ledger in ledgers]
        self.todo: list[int] = []
        self.starts: list[int] = []             # first position of each file left to import
        self.synonyms: dict[tuple[int, str, str], tuple[int, int]] = {}   # (file, column, word) -> first row, rows
        self.row_numbers: list[np.ndarray] = []  # each such file's row numbers, by position within the file
        self.replaced_keys: set = set()

    def plan(self, only_valid: bool, dry_run: bool, progress: Progress) -> tuple[ImportResult, Change | None]:
        """The result an import would have, and the change to write (None when nothing is written)."""
        result = ImportResult(self.table, self.mode, dry_run, "rejected", self.summaries, self.report)
        self.todo = self._check_files()
        if self.report.count(ERROR):
            return result, None
        if not self.todo:
            result.status = "unchanged"
            return result, None
        buyers = self._check_rows(progress)
        counts = self.existing.outcome_counts()
        rejected, duplicates = int(counts["rejected"].sum()), int(counts["duplicates"].sum())
        taken = int(counts["added"].sum() + counts["updated"].sum())
        writes = only_valid or not rejected
        for i, row in zip(self.todo, counts.itertuples()):
            summary = self.summaries[i]
            summary.rejected, summary.duplicates = int(row.rejected), int(row.duplicates)
            summary.added, summary.updated = (int(row.added), int(row.updated)) if writes else (0, 0)
        if (rejected and not only_valid) or (not taken and not duplicates):
            return result, None
        if not taken:
            result.status = "unchanged"
            return result, None
        result.status = "checked" if dry_run else "imported"
        result.as_of = max(d for d in (self.parent.as_of, self.existing.latest_date()) if d)
        used_buyers = self.existing.taken_buyers() if buyers and buyers.added else set()
        last_ids = self.existing.last_ids()
        return result, Change(
            table=self.table, mode=self.mode, rows=self.existing.taken, row_count=taken, as_of=result.as_of,
            source={"kind": "import", "table": self.table, "mode": self.mode,
                    "files": [self.ledgers[i].file.name for i in self.todo]},
            imports=self._history_entries(self.todo),
            replaced_keys=self.replaced_keys,
            new_buyers=[b for b in buyers.added if b["buyer_id"] in used_buyers] if buyers else [],
            first_id=last_ids[ID_COLUMNS[self.table]] + 1 if self.table in ID_COLUMNS else 1,
            counties=self.counties,
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
            self.summaries[i].rows = self.ledgers[i].rows
        return todo

    def _check_rows(self, progress: Progress) -> Buyers | None:
        """Validate every row of the files left to import chunk by chunk, keep the valid ones converted in the
        workspace, then sort out duplicates; returns the buyers (purchases) with the new ones it learnt."""
        existing = self.existing
        progress(0.12, "读取参考区划")
        places = Places(pd.DataFrame(existing.register("townships")), pd.DataFrame(existing.register("villages")),
                        pd.DataFrame(existing.register("counties")), self.counties)
        buyers = Buyers(pd.DataFrame(existing.register("buyers"))) if self.table == "purchases" else None
        if buyers:   # a new buyer's type, given on any of its rows, holds for all of them: learn it first
            for i in self.todo:
                for chunk in self.ledgers[i].chunks():
                    cells = _cleaned(chunk[["purchase_date", "county", "township", "buyer_name", "buyer_type"]])
                    buyers.learn(cells["buyer_name"], cells["buyer_type"], row_counties(places, cells))
        registers = Registers.of(*(existing.register(name) for name in ("certified_products", "outlets", "events"))) \
            if self.table == "channel_sales" else None   # what a sales row names must be registered
        units = paired_units(existing.register("pairings")) if self.table == "visits" else None
        ctx = Context(places, buyers, registers, units)
        total, position, register_cells = max(sum(self.ledgers[i].rows for i in self.todo), 1), 0, []
        for i in self.todo:
            self.starts.append(position)
            numbers = []
            for chunk in self.ledgers[i].chunks():
                numbers.append(chunk.index.to_numpy())
                cells = chunk.set_axis(pd.RangeIndex(position, position + len(chunk)))
                position += len(chunk)
                cleaned = _cleaned(cells)
                problems = validate(cleaned, self.table, ctx)
                rows_here = dict(zip(cells.index, chunk.index))
                self._note_synonyms(i, cells, rows_here)
                for p in problems.itertuples(index=False):
                    self._add_at(i, rows_here[p.position], p.column, p.reason, ERROR, cells.at[p.position, p.column])
                bad = problems["position"].unique()
                existing.mark(bad, "rejected")
                existing.add_rows(to_rows(cleaned.drop(index=bad), self.table, ctx))
                if self.table in REGISTER_KEYS:
                    register_cells.append(cells)
                progress(0.15 + 0.25 * position / total, f"逐行校验：{position:,} / {total:,} 行")
            self.row_numbers.append(np.concatenate(numbers) if numbers else np.array([], dtype="int64"))
        existing.set_files([(a, b) for a, b in zip(self.starts, [*self.starts[1:], position])])
        existing.finish_rows()
        progress(0.4, "查找重复")
        if self.table in REGISTER_KEYS:
            self._sort_register(pd.concat(register_cells) if register_cells else None)
        else:
            self._sort_facts()
        self._report_synonyms()
        return buyers

    def _sort_facts(self) -> None:
        """Rows repeated within the import, then (appending) rows already in the snapshot: marked and reported."""
        repeats = self.existing.repeats()
        self.existing.mark(repeats.column("position").combine_chunks(), "duplicate")
        listed = repeats.slice(0, self._room())
        self._add_many(len(repeats), listed.column("position").to_pylist(), DUPLICATE,
                       [REPEATED.format(first=self._where(f)) for f in listed.column("first_position").to_pylist()])
        if self.mode == "append":
            there = self.existing.already_there().column("position").combine_chunks()
            self.existing.mark(there, "duplicate")
            self._add_many(len(there), there.slice(0, self._room()).to_pylist(), DUPLICATE,
                           itertools.repeat(ALREADY_THERE))

    def _sort_register(self, cells: pd.DataFrame | None) -> None:
        """Register rows (small tables): duplicates, conflicting keys and updates, as dedup sorts them."""
        rows = self.existing.rows()
        sorting = sort_rows(rows, self.table, self.mode, self.existing, self._where)
        for position, (column, reason) in sorting.conflicts.items():
            self._add(position, column, reason, ERROR, cells.at[position, column])
        for position, reason in sorting.duplicates.items():
            self._add(position, None, reason, DUPLICATE)
        for position, reason in sorting.updates.items():
            self._add(position, None, reason, UPDATE)
        self.existing.mark(sorting.conflicts, "conflict")
        self.existing.mark(sorting.duplicates, "duplicate")
        self.existing.mark(sorting.updates, "update")
        self.replaced_keys = sorting.replaced_keys

    def _locate(self, position: int) -> tuple[int, int]:
        """(ledger index, row number) of a position."""
        k = bisect.bisect_right(self.starts, position) - 1
        return self.todo[k], int(self.row_numbers[k][position - self.starts[k]])

    def _where(self, position: int) -> str:
        i, row = self._locate(position)
        return f"{self.ledgers[i].file.name} 第{row}行"

    def _add(self, position: int, column: str | None, reason: str, kind: str, value: str | None = None) -> None:
        self._add_at(*self._locate(position), column, reason, kind, value)

    def _add_at(self, i: int, row: int, column: str | None, reason: str, kind: str, value: str | None) -> None:
        ledger = self.ledgers[i]
        header = None
        if column is not None:
            header = ledger.titles.get(column) or next(c.header for c in LEDGERS[self.table] if c.name == column)
        self.report.add(ledger.file.name, row, header, value, reason, kind)

    def _room(self) -> int:
        return max(self.report.limit - len(self.report.entries), 0)

    def _note_synonyms(self, i: int, cells: pd.DataFrame, rows_here: dict) -> None:
        """Count the words of a chunk read through the synonym table (超市 as 商超) per file, column and word,
        with the first row they are on."""
        for column in LEDGERS[self.table]:
            coded = CODED.get(column.kind)
            if coded is None:
                continue
            values = cells[column.name].dropna()
            for word, count in values.value_counts().items():
                if clean(word) and coded.synonym(clean(word)):
                    first = min(rows_here[p] for p in values.index[values == word])
                    row, seen = self.synonyms.get((i, column.name, word), (first, 0))
                    self.synonyms[(i, column.name, word)] = (min(row, first), seen + count)

    def _report_synonyms(self) -> None:
        """One 提示 line per file, column and word read through the synonym table, at its first row."""
        for (i, name, word), (row, count) in self.synonyms.items():
            column = next(c for c in LEDGERS[self.table] if c.name == name)
            coded = CODED[column.kind]
            reason = SYNONYM_READ.format(label=coded.codes[coded.synonym(clean(word))][0])
            if count > 1:
                reason += SYNONYM_ROWS.format(rows=count)
            ledger = self.ledgers[i]
            self.report.add(ledger.file.name, row, ledger.titles.get(name) or column.header, word, reason, HINT)

    def _add_many(self, total: int, positions: list[int], kind: str, reasons) -> None:
        """Report `total` rows of one kind: those at `positions` (as many as the report has room for) listed, all
        counted."""
        for position, reason in zip(positions, reasons):
            self._add(position, None, reason, kind)
        self.report.counts[kind] += total - len(positions)

    def _history_entries(self, todo: list[int]) -> list[dict]:
        """One entry per imported file for the manifest's imports list; one import_id for the whole import."""
        import_id = uuid.uuid4().hex
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        return [{
            "import_id": import_id, "file": s.name, "sha256": s.sha256, "table": self.table, "mode": self.mode,
            "rows_in_file": s.rows, "rows_added": s.added, "rows_updated": s.updated,
            "duplicates_skipped": s.duplicates, "rejected_rows": s.rejected, "imported_at": now,
            "by": self.by, "counties": list(self.counties) if self.counties else None,
        } for s in (self.summaries[i] for i in todo)]
