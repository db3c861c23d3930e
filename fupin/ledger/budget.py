"""A ledger check's time budget and heartbeat: the loops over a ledger's rows call it every few thousand rows.

Past FUPIN_CHECK_TIMEOUT_S it stops the check with one sentence. Between progress reports it repeats the last one
now and then, so a caller's progress callback is called while rows are read: a page's callback draws a progress bar,
and a Streamlit call raises once the page's session has ended, which stops the check there.
"""

import time
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from ..store.snapshot import SnapshotError

Progress = Callable[[float, str], None]
Row = TypeVar("Row")
# Rows between two looks at the clock: openpyxl reads some 20,000 rows a second here, CSV ten times as many.
EVERY_ROWS = 2_000
# The last progress is repeated at most this often while rows are read (on a page each is a message to the browser).
HEARTBEAT_SECONDS = 0.5
TIMED_OUT = "台账校验超过 {seconds:,} 秒的时限（FUPIN_CHECK_TIMEOUT_S），已停止，没有做任何更改"


class CheckTimeout(SnapshotError):
    """A check (or an import's check) that ran past its time budget; the message is one sentence for the user."""


class Budget:
    """The time a check may take from now, and the progress callback it reports to."""

    def __init__(self, progress: Progress, seconds: int):
        self.seconds = seconds
        self._progress = progress
        self._deadline = time.monotonic() + seconds
        self._last = (0.0, "")
        self._reported_at = time.monotonic()

    def progress(self, fraction: float, message: str) -> None:
        """Report progress, after making sure the time is not up (CheckTimeout if it is)."""
        self._last = (fraction, message)
        self._check_clock()
        self._report()

    def rows(self, rows: Iterable[Row]) -> Iterator[Row]:
        """The rows, one at a time, looking at the clock every EVERY_ROWS rows and repeating the last progress at
        most every HEARTBEAT_SECONDS."""
        for number, row in enumerate(rows, start=1):
            if number % EVERY_ROWS == 0:
                self._check_clock()
                if time.monotonic() - self._reported_at >= HEARTBEAT_SECONDS:
                    self._report()
            yield row

    def _check_clock(self) -> None:
        if time.monotonic() > self._deadline:
            raise CheckTimeout(TIMED_OUT.format(seconds=self.seconds))

    def _report(self) -> None:
        self._reported_at = time.monotonic()
        self._progress(*self._last)
