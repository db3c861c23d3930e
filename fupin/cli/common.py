"""What several commands share: the progress bar and notices on stderr, the snapshot a command reads, and an
output file written whole."""

import os
import sys
from pathlib import Path

from ..store.snapshot import os_error_text
from ..store.store import SnapshotStore
from .errors import UsageError, WriteError


def progress_bar(fraction: float, message: str) -> None:
    """Draw a one-line progress bar on stderr when it is a terminal (in a log it would only be noise)."""
    if not sys.stderr.isatty():
        return
    width = 30
    filled = int(width * min(max(fraction, 0.0), 1.0))
    end = "\n" if fraction >= 1 else ""
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {fraction:5.1%} {message[:50]:<50}{end}")
    sys.stderr.flush()


def tell(notices) -> None:
    """Notices about the snapshot used (CURRENT missing, say): one line each on stderr."""
    for notice in notices:
        print(f"注意: {notice}", file=sys.stderr)


def open_snapshot(store: SnapshotStore, snapshot_id: str | None):
    """The snapshot asked for, else CURRENT's (else, CURRENT being missing or invalid, the newest that verifies);
    DamagedFile when it fails verification."""
    served = store.serve(snapshot_id, fall_back=False)
    tell(served.notices)
    return served.snapshot


def write_atomically(path: Path, data: bytes) -> None:
    """Write a file whole or not at all: a temporary file beside it, renamed over it when complete."""
    if not path.parent.is_dir():
        raise UsageError(f"输出文件的目录不存在: {path.parent}")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except OSError as e:
        raise WriteError(f"无法写入 {path}：{os_error_text(e)}") from None
    finally:
        tmp.unlink(missing_ok=True)
