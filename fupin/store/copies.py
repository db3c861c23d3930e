"""Copying snapshot folders to another place, every byte hashed against the manifest on the way, and files already
there shared by a hard link instead of copied again (what backups, restores and replica syncs have in common)."""

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .snapshot import DamagedFile, Snapshot, StoreIOError, fsync_dir, os_error_text, sha256_of

BLOCK_BYTES = 1 << 20
Progress = Callable[[float, str], None]


@dataclass
class CopyStats:
    """What a copy wrote: files and bytes copied, and files and bytes shared by a hard link."""

    copied_files: int = 0
    copied_bytes: int = 0
    linked_files: int = 0
    linked_bytes: int = 0

    def line(self) -> str:
        """The figures in a few words (Chinese), for a command's one line."""
        return (f"复制 {self.copied_files:,} 个文件（{self.copied_bytes / 1e6:,.1f} MB），"
                f"硬链接 {self.linked_files:,} 个文件（{self.linked_bytes / 1e6:,.1f} MB）")


class LinkPool:
    """Files by their sha256 that a copy may hard-link instead of copying.

    A file offered from an earlier copy is hashed again before it is first linked (hard links share damage: a
    damaged file is copied afresh instead); one this copy has just written and hashed is trusted.
    """

    def __init__(self):
        self._paths: dict[str, Path] = {}
        self._trusted: set[str] = set()

    def offer(self, sha256: str, path: Path, trusted: bool = False) -> None:
        """A file whose bytes should have this sha256 (the first offered is used)."""
        self._paths.setdefault(sha256, Path(path))
        if trusted and self._paths[sha256] == Path(path):
            self._trusted.add(sha256)

    def moved(self, old: Path, new: Path) -> None:
        """Files offered under folder `old` are now under `new` (a folder renamed into place)."""
        self._paths = {sha256: new / path.relative_to(old) if path.is_relative_to(old) else path
                       for sha256, path in self._paths.items()}

    def link(self, sha256: str, size: int | None, target: Path) -> bool:
        """Hard-link a file of this sha256 to `target`; False when none is known, it no longer matches, or the
        link cannot be made (another file system)."""
        path = self._paths.get(sha256)
        if path is None:
            return False
        if sha256 not in self._trusted:
            try:
                matches = (size is None or path.stat().st_size == size) and sha256_of(path) == sha256
            except OSError:
                matches = False
            if not matches:
                del self._paths[sha256]
                return False
            self._trusted.add(sha256)
        try:
            os.link(path, target)
        except OSError:
            return False
        return True


def copy_verified(source: Path, target: Path, sha256: str, size: int | None, snapshot_id: str, name: str) -> None:
    """Copy one file, hashing it on the way; DamagedFile (naming the snapshot and the file) unless the bytes match
    `sha256` and `size`, StoreIOError when the target cannot be written. The target is made durable."""
    digest, copied = hashlib.sha256(), 0
    try:
        reader = open(source, "rb")
    except FileNotFoundError:
        raise DamagedFile(snapshot_id, name, "缺失") from None
    except OSError as e:
        raise DamagedFile(snapshot_id, name, f"无法读取（{os_error_text(e)}）") from None
    with reader:
        try:
            writer = open(target, "wb")
        except OSError as e:
            raise StoreIOError(f"无法写入 {target}：{os_error_text(e)}") from None
        with writer:
            while True:
                try:
                    block = reader.read(BLOCK_BYTES)
                except OSError as e:
                    raise DamagedFile(snapshot_id, name, f"无法读取（{os_error_text(e)}）") from None
                if not block:
                    break
                digest.update(block)
                copied += len(block)
                try:
                    writer.write(block)
                except OSError as e:
                    raise StoreIOError(f"无法写入 {target}：{os_error_text(e)}") from None
            try:
                writer.flush()
                os.fsync(writer.fileno())
            except OSError as e:
                raise StoreIOError(f"无法写入 {target}：{os_error_text(e)}") from None
    if size is not None and copied != size:
        raise DamagedFile(snapshot_id, name, "大小与清单不符（已被截断或改动）")
    if digest.hexdigest() != sha256:
        raise DamagedFile(snapshot_id, name, "校验和不符（已损坏或被改动）")


def snapshot_bytes(snapshot: Snapshot) -> int:
    """The bytes of a snapshot's files as its manifest lists them (for a progress bar)."""
    return sum(entry.get("bytes") or 0 for name in snapshot.manifest["tables"] for entry in snapshot.files(name))


def copy_snapshot(snapshot: Snapshot, target: Path, pool: LinkPool, stats: CopyStats,
                  progress: "Callable[[int, str], None] | None" = None) -> None:
    """Copy a snapshot folder (its manifest and every file it lists, nothing else) to `target`, hard-linking what
    `pool` holds, and offer every file written to `pool`. Every file is hashed against the manifest before it is
    trusted; the folder is made durable. `progress(bytes, path)` after each file."""
    try:
        target.mkdir(parents=True)
        for name in snapshot.manifest["tables"]:
            for entry in snapshot.files(name):
                path = target / entry["path"]
                path.parent.mkdir(parents=True, exist_ok=True)
                size = entry.get("bytes")
                if pool.link(entry["sha256"], size, path):
                    stats.linked_files += 1
                    stats.linked_bytes += size or path.stat().st_size
                else:
                    copy_verified(snapshot.path / entry["path"], path, entry["sha256"], size, snapshot.id,
                                  entry["path"])
                    stats.copied_files += 1
                    stats.copied_bytes += path.stat().st_size
                    pool.offer(entry["sha256"], path, trusted=True)
                if progress is not None:
                    progress(size or 0, entry["path"])
        manifest = json.dumps(snapshot.manifest, ensure_ascii=False, indent=1).encode("utf-8")
        write_durably(target / "manifest.json", manifest)
        for folder, _, _ in os.walk(target, topdown=False):
            fsync_dir(folder)
    except OSError as e:
        raise StoreIOError(f"无法写入 {target}：{os_error_text(e)}") from None


def offer_snapshot_files(pool: LinkPool, snapshot: Snapshot) -> None:
    """Offer every file of a snapshot already at the destination (hashed before its first link)."""
    for name in snapshot.manifest["tables"]:
        for entry in snapshot.files(name):
            pool.offer(entry["sha256"], snapshot.path / entry["path"])


def write_durably(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write a new file and make its bytes durable (in a folder that is renamed into place later, or under a name
    nothing reads yet)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644 if mode is None else mode)
    with os.fdopen(fd, "wb") as out:
        if mode is not None:
            os.fchmod(out.fileno(), mode)
        out.write(data)
        out.flush()
        os.fsync(out.fileno())


def replace_durably(path: Path, data: bytes, mode: int | None = None) -> None:
    """Replace a file in one step: a temporary file beside it, made durable, renamed over it."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write_durably(tmp, data, mode)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    fsync_dir(path.parent)


def remove_tree(path: Path) -> None:
    """Remove a folder, leaving nothing half-visible: renamed to a hidden name first, then deleted."""
    hidden = path.with_name(f".tmp-removed-{path.name}")
    os.rename(path, hidden)
    fsync_dir(path.parent)
    shutil.rmtree(hidden, ignore_errors=True)


def bytes_freed(folders: list[Path]) -> int:
    """The bytes that deleting these folders frees: files none of whose hard links lies outside them (a file
    shared with a snapshot that stays costs nothing to remove)."""
    links: dict[tuple[int, int], list] = {}
    for folder in folders:
        for root, _, names in os.walk(folder):
            for name in names:
                stat = os.lstat(os.path.join(root, name))
                seen = links.setdefault((stat.st_dev, stat.st_ino), [0, stat.st_nlink, stat.st_size])
                seen[0] += 1
    return sum(size for count, nlink, size in links.values() if count >= nlink)
