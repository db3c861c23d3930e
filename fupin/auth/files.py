"""Small JSON state files beside the snapshots: read, written atomically with mode 600, changed under one lock."""

import contextlib
import fcntl
import json
import os
import uuid
from pathlib import Path

LOCK_NAME = ".auth.lock"
MODE = 0o600


class StateFileError(OSError):
    """A state file exists but cannot be read as JSON: reported in one line, never taken as empty."""


def read_json(path: Path, default):
    """The JSON in `path`, or `default` when the file does not exist; StateFileError when it is not JSON."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return default
    try:
        return json.loads(text)
    except ValueError:
        raise StateFileError(f"文件无法读取（不是有效的 JSON）: {path}") from None


def write_json(path: Path, value) -> None:
    """Replace `path` with `value` as JSON in one step (a temporary file, fsync, rename), readable only by its owner."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, MODE)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            os.fchmod(f.fileno(), MODE)   # whatever the umask
            json.dump(value, f, ensure_ascii=False, indent=2)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def locked(data_dir: Path, lock_name: str = LOCK_NAME):
    """Hold a lock file of the data folder (by default the account lock, shared by every process and, since each
    holder opens the file anew, by every thread) while reading and rewriting state files; with another `lock_name`
    (and folder), another lock of the same kind."""
    folder = Path(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / lock_name, os.O_RDWR | os.O_CREAT, MODE)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)   # closing releases the lock
