"""The `python -m fupin` command line: demo, brief, import, upgrade, verify, backup, restore, prune, sync, users,
subscriptions, push, bench, loadtest, firstvisit, deploy.

Each command group is a module of this package with `add_parser(sub)`; a command imports the heavy parts it needs
(the importer, the report, the tools) when it runs, so that every other command starts in half a second.
"""

import argparse
import sys
import warnings
from pathlib import Path

from .. import settings
from ..ledger.budget import CheckTimeout
from ..report.briefing_pdf import PdfError
from ..store.snapshot import DamagedFile, SnapshotError, StoreIOError, os_error_text
from . import backup, brief, demo, deploy, ledgers, push, store, tools, users
from .errors import BROKEN, REJECTED, USAGE, Rejected, UsageError, WriteError


def build_parser() -> argparse.ArgumentParser:
    """Every command's arguments, in the order `--help` lists them."""
    parser = argparse.ArgumentParser(prog="python -m fupin", description="消费帮扶监测：演示数据、简报、导入、校验、账号、基准测试")
    parser.add_argument("--data", type=Path, default=settings.data_dir(), help="数据目录（默认 data/ 或 $FUPIN_DATA）")
    sub = parser.add_subparsers(dest="command", required=True)
    for group in (demo, brief, ledgers, store, backup, users, push, tools, deploy):
        group.add_parser(sub)
    return parser


def _fail(message: str, status: int) -> int:
    """One line on stderr (below a progress bar left unfinished) and the exit status."""
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    print(f"错误: {message}", file=sys.stderr)
    return status


def main(argv: list[str] | None = None) -> int:
    """Run one command; every failure is one line on stderr and an exit status (never a traceback)."""
    # A library's notice about its own future (pandera loading pyspark's pandas support when pyspark is installed)
    # is not for the person at the terminal: stderr carries only this program's one line.
    warnings.filterwarnings("ignore", category=FutureWarning)
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
    except SystemExit as e:
        return int(e.code or 0)
    except settings.SettingsError as e:   # a default read from the environment while building the parser
        return _fail(str(e), USAGE)
    try:
        settings.check()
        if args.command == "demo" and args.scale < 1:
            raise UsageError("--scale 必须是正整数")
        return args.func(args)
    except (DamagedFile, StoreIOError, PdfError, WriteError) as e:
        return _fail(str(e), BROKEN)
    except CheckTimeout as e:
        return _fail(str(e), REJECTED)
    except (UsageError, SnapshotError, settings.SettingsError) as e:
        return _fail(str(e), USAGE)
    except Rejected as e:
        return _fail(str(e), REJECTED)
    except KeyboardInterrupt:
        return _fail("已中断", 130)
    except Exception as e:   # I/O errors of any library, or a bug: one line, never a traceback
        return _fail(_unexpected(e), BROKEN)


def _unexpected(error: Exception) -> str:
    import duckdb

    if isinstance(error, (OSError, duckdb.IOException)):
        return f"{os_error_text(error)}；没有做任何更改"
    first = str(error).splitlines()[0][:300] if str(error) else ""
    return f"意外错误（{type(error).__name__}: {first}）"
