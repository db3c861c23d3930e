"""What several commands share: the progress bar and notices on stderr, the snapshot a command reads, an output file
written whole, a command group's sub-commands with one-line usage errors, and a command's audit entry."""

import argparse
import os
import sys
from pathlib import Path

from ..auth import audit
from ..store.snapshot import StoreIOError, os_error_text
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


class OneLineParser(argparse.ArgumentParser):
    """A parser whose usage errors are one line on stderr (exit status 2), like every other error of the CLI."""

    def error(self, message: str):
        self.exit(2, f"错误: {self.prog}: {message}（用法见 --help）\n")


def add_as(parser: argparse.ArgumentParser) -> None:
    """`--as NAME`: who the audit log names for this change (default: the OS user)."""
    parser.add_argument("--as", dest="as_", default=audit.os_user(), metavar="NAME",
                        help="审计日志中记录的操作人（默认当前系统用户）")


def command_group(sub, name: str, helptext: str):
    """Register a command with sub-commands (`users add`, `subscriptions list`); returns `action(name, help, func)`
    that adds one, with `--data` and `--as`, and gives back its parser for its own arguments."""
    group = sub.add_parser(name, help=helptext)
    group.add_argument("--data", type=Path, default=argparse.SUPPRESS)
    actions = group.add_subparsers(dest=f"{name}_command", required=True, parser_class=OneLineParser)

    def action(action_name: str, action_help: str, func):
        parser = actions.add_parser(action_name, help=action_help)
        parser.add_argument("--data", type=Path, default=argparse.SUPPRESS)
        add_as(parser)
        parser.set_defaults(func=func)
        return parser
    return action


def recorded(write) -> None:
    """Run an audit write after a change that is already made: a failure says so (exit 3), never “nothing changed”."""
    try:
        write()
    except OSError as e:
        raise StoreIOError(f"更改已完成，但审计日志写入失败：{os_error_text(e)}") from None


def record(args, action: str, **details) -> None:
    """An audit entry of a command, naming `--as` and the OS user."""
    recorded(lambda: audit.record(args.data, args.as_, action, via="cli", os_user=audit.os_user(), **details))
