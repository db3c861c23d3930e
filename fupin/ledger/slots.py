"""One ledger check or import at a time in a server process, so several clerks at once cannot exhaust its memory."""

import contextlib
import threading

BUSY = "另一个台账正在预检或导入，请稍后再试"

_slot = threading.Lock()


class ImportBusy(Exception):
    """Another check or import of this process holds the slot; the message is shown to the clerk."""


@contextlib.contextmanager
def one_at_a_time(wait_seconds: float = 0.0):
    """Hold the process's ledger slot for a check or an import, waiting at most `wait_seconds`, else ImportBusy."""
    if not (_slot.acquire(timeout=wait_seconds) if wait_seconds > 0 else _slot.acquire(blocking=False)):
        raise ImportBusy(BUSY)
    try:
        yield
    finally:
        _slot.release()
