"""The background re-hash: a daemon thread hashes the current snapshot's files again, paced to a small share of one
core, so that damage which keeps a file's size and mtime (which the stat-based check cannot see) is found by a
running server within one pass. A file that no longer matches is dropped from the verified files
(fupin.store.snapshot.recheck), so the next page run hashes it, gets DamagedFile and serves the fallback with a notice.

The thread is started by the first page run that serves a snapshot (fupin.ui.data.serve calls `BACKGROUND.watch`);
`last_pass()` says what the latest pass found (for a readiness check)."""

import datetime as dt
import logging
import threading
import time
from dataclasses import dataclass

from .snapshot import SnapshotError, recheck
from .store import SnapshotStore

log = logging.getLogger(__name__)
# The share of one core a pass may use: its thread's CPU time over the wall time of the pass.
CPU_SHARE = 0.10
# Bytes read and hashed between two looks at the clock (about 0.2 ms of a core): the thread never holds one for long.
BLOCK_BYTES = 256 * 1024


@dataclass(frozen=True)
class PassResult:
    """One completed pass over the current snapshot: when it ended, what it read, what it cost, what it found."""

    finished_at: dt.datetime          # UTC
    snapshot_id: str | None           # None when no snapshot could be checked (the reason is in `damaged`)
    files: int
    bytes_read: int
    cpu_s: float                      # the pass's thread's CPU time
    wall_s: float
    damaged: tuple[str, ...]          # one sentence per damaged file, naming it (empty when all match)

    @property
    def cpu_share(self) -> float:
        """The share of one core the pass used."""
        return self.cpu_s / self.wall_s if self.wall_s > 0 else 0.0


class Pacer:
    """Called after each block: sleeps until the thread's CPU time since it was made is at most `share` of the wall
    time, so a pass costs at most that share of one core whatever the disk and the CPU's speed."""

    def __init__(self, share: float = CPU_SHARE):
        self.share = share
        self.bytes_read = 0
        self._cpu0, self._wall0 = time.thread_time(), time.monotonic()

    @property
    def cpu_s(self) -> float:
        return time.thread_time() - self._cpu0

    @property
    def wall_s(self) -> float:
        return time.monotonic() - self._wall0

    def __call__(self, length: int = 0) -> None:
        self.bytes_read += length
        ahead = self.cpu_s / self.share - self.wall_s
        if ahead > 0:
            time.sleep(ahead)


def run_pass(store: SnapshotStore, share: float = CPU_SHARE) -> PassResult:
    """Hash every file of the store's current snapshot again at `share` of one core; what matched or not."""
    pacer = Pacer(share)
    snapshot_id, files, damaged = None, 0, []
    try:
        snapshot = store.current()
        snapshot_id = snapshot.id
        for _, problem in recheck(snapshot, pacer, BLOCK_BYTES):
            files += 1
            if problem is not None:
                damaged.append(str(problem))
    except SnapshotError as e:   # no CURRENT, a manifest missing: nothing to hash, and the store is not sound
        damaged.append(str(e))
    pacer()   # the footers and manifest read after the last block count too
    for problem in damaged:
        log.error("background re-hash: %s", problem)
    return PassResult(dt.datetime.now(dt.UTC), snapshot_id, files, pacer.bytes_read, pacer.cpu_s, pacer.wall_s,
                      tuple(damaged))


class Background:
    """One daemon thread per process that runs a pass over the watched store every `every_s` seconds (counted from
    the start of the previous pass, or from when it began watching)."""

    def __init__(self):
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None
        self._store: SnapshotStore | None = None
        self._every_s = 0.0
        self._since = 0.0            # monotonic time the next pass is counted from
        self._started = 0            # passes started
        self._finished = 0           # passes finished (successfully or not)
        self._last: PassResult | None = None

    def watch(self, store: SnapshotStore, every_s: float) -> None:
        """Re-hash `store`'s current snapshot every `every_s` seconds; starts the thread the first time (cheap to call
        on every page run: a change wakes the thread, which works out when the next pass is due)."""
        with self._changed:
            if self._thread is None:
                self._since = time.monotonic()
                self._thread = threading.Thread(target=self._run, name="fupin-rehash", daemon=True)
                self._thread.start()
            elif (store, every_s) == (self._store, self._every_s):
                return
            self._store, self._every_s = store, every_s
            self._changed.notify_all()

    def last_pass(self) -> PassResult | None:
        """The latest pass that completed (None before the first)."""
        with self._changed:
            return self._last

    def wait_for_next_pass(self, timeout: float) -> PassResult | None:
        """Wait for a pass that starts after this call to finish, and return the latest result; TimeoutError after
        `timeout` seconds."""
        with self._changed:
            target = self._started + 1
            if not self._changed.wait_for(lambda: self._finished >= target, timeout):
                raise TimeoutError(f"no re-hash pass finished within {timeout} s")
            return self._last

    def _next_store(self) -> SnapshotStore:
        """Wait until a pass is due, then count the next one from now; the store to hash."""
        with self._changed:
            while self._store is None or (wait := self._since + self._every_s - time.monotonic()) > 0:
                self._changed.wait(None if self._store is None else wait)
            self._since = time.monotonic()
            self._started += 1
            return self._store

    def _run(self) -> None:
        while True:
            store = self._next_store()
            result = None
            try:
                result = run_pass(store)
                log.info("background re-hash of %s: %d files, %.1f MB in %.1f s at %.1f%% of a core",
                         result.snapshot_id, result.files, result.bytes_read / 1e6, result.wall_s,
                         100 * result.cpu_share)
            except Exception:   # never let a bug end the thread, let alone the app: try again next time
                log.exception("background re-hash failed")
            with self._changed:
                self._finished = self._started
                self._last = result or self._last
                self._changed.notify_all()


BACKGROUND = Background()


def last_pass() -> PassResult | None:
    """What the latest background pass of this process found (None before the first): its time, the damaged files."""
    return BACKGROUND.last_pass()
