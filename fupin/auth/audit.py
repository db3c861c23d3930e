"""The audit log: who changed what and when, one JSON object per line in `data/audit.jsonl`, only ever appended.

Each entry is one `write` on a descriptor opened with O_APPEND, under an exclusive lock and followed by fsync, so
entries of concurrent writers (the app's sessions, the CLI) never interleave and survive a crash once written.
"""

import datetime as dt
import fcntl
import getpass
import json
import os
from pathlib import Path

import pandas as pd

from .. import telemetry
from ..text.export import csv_bytes
from ..text.fmt import BEIJING

FILE_NAME = "audit.jsonl"
ACTIONS = {
    "import": "导入（追加）", "replace": "导入（替换）", "switch_current": "切换当前快照（回退）",
    "boundary_upload": "上传乡镇边界", "boundary_restore": "恢复乡镇边界", "boundary_remove": "改用示意边界",
    "account_add": "新增账号", "account_passwd": "修改密码", "account_disable": "停用账号",
    "account_map_oidc": "单点登录映射", "account_unmap_oidc": "删除单点登录映射", "account_role": "修改角色",
    "sign_in": "登录", "sign_in_failed": "登录失败", "sign_in_locked": "账号锁定",
    "refused": "操作被拒绝",
    "subscription_add": "新增订阅", "subscription_remove": "删除订阅", "push_now": "立即推送", "push_test": "发送测试",
}
HEADERS = {"time": "时间（北京时间）", "who": "操作人", "via": "途径", "action": "操作", "table": "数据表",
           "files": "文件", "sha256": "文件 SHA-256", "before": "之前的快照", "after": "之后的快照", "rows": "行数",
           "details": "详情"}
VIA_LABELS = {"cli": "命令行", "web": "网页"}
DETAIL_LABELS = {"added": "新增", "updated": "更新", "name": "账号", "role": "角色", "scope": "范围",
                 "claim": "声明", "value": "值", "reason": "原因", "client": "客户端地址", "until": "锁定至",
                 "version": "版本", "townships": "乡镇数", "os_user": "系统用户",
                 "method": "方式", "attempted": "尝试的操作", "subscription": "订阅", "channels": "渠道",
                 "schedule": "时间", "outcome": "结果"}
UNREADABLE = "（此行无法读取）"
# The same words for an English reader of the import page (the CSV download stays in Chinese, as the ledgers are).
ENGLISH = {
    "actions": {"import": "Import (append)", "replace": "Import (replace)", "switch_current": "Snapshot made current",
                "boundary_upload": "Boundaries uploaded", "boundary_restore": "Boundaries restored",
                "boundary_remove": "Back to schematic boundaries", "account_add": "Account added",
                "account_passwd": "Password changed", "account_disable": "Account disabled",
                "account_map_oidc": "Single sign-on mapped", "account_unmap_oidc": "Single sign-on unmapped",
                "account_role": "Role changed", "sign_in": "Signed in", "sign_in_failed": "Sign-in failed",
                "sign_in_locked": "Name locked", "refused": "Refused"},
    "headers": {"time": "Time (Beijing)", "who": "Who", "via": "Via", "action": "Action", "table": "Table",
                "files": "Files", "sha256": "File SHA-256", "before": "Snapshot before", "after": "Snapshot after",
                "rows": "Rows", "details": "Details"},
    "via": {"cli": "command line", "web": "web page"},
    "details": {"added": "added", "updated": "updated", "name": "account", "role": "role", "scope": "scope",
                "claim": "claim", "value": "value", "reason": "reason", "client": "client address",
                "until": "locked until", "version": "version", "townships": "townships", "os_user": "system user",
                "method": "method", "attempted": "attempted"},
}
CHINESE = {"actions": ACTIONS, "headers": HEADERS, "via": VIA_LABELS, "details": DETAIL_LABELS}


def os_user() -> str:
    """Who runs this process: named by an import, a switch or a command when no signed-in user or `--as` is given."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid {os.getuid()}"


def log_path(data_dir: Path) -> Path:
    return Path(data_dir) / FILE_NAME


def now_beijing() -> str:
    """The current time in Beijing, ISO 8601 to the second (2026-11-23T10:02:03+08:00)."""
    return dt.datetime.now(BEIJING).isoformat(timespec="seconds")


def append(path: Path, entry: dict) -> None:
    """Append one JSON line to a log file of the data folder (mode 600): one write under an exclusive lock, then fsync."""
    line = (json.dumps(entry, ensure_ascii=False, default=str) + "\n").encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":   # a line cut short by a crash stays on its own line
            line = b"\n" + line
        written = os.write(fd, line)
        if written != len(line):   # a full disk mid-line: the next reader sees one unreadable line, not a lie
            raise OSError(f"日志只写入了 {written} / {len(line)} 字节: {path}")
        os.fsync(fd)
    finally:
        os.close(fd)


def record(data_dir: Path, who: str, action: str, via: str = "web", when: str | None = None, **details) -> dict:
    """Append one entry (who, when in Beijing time, action, via "web" or "cli", details) and return it."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    entry = {"time": when or now_beijing(), "who": who, "via": via, "action": action, **details}
    append(log_path(data_dir), entry)
    telemetry.audited(action)
    return entry


def record_import(data_dir: Path, who: str, result, via: str = "web", **details) -> dict | None:
    """The entry of an import that wrote a snapshot (an ImportResult with status "imported"); None otherwise."""
    if result.status != "imported" or result.snapshot is None:
        return None
    imported = [f for f in result.files if f.added or f.updated]
    return record(data_dir, who, result.mode if result.mode == "replace" else "import", via, table=result.table,
                  files=[f.name for f in imported], sha256=[f.sha256 for f in imported],
                  before=result.snapshot.manifest.get("parent"), after=result.snapshot.id,
                  rows={"added": sum(f.added for f in imported), "updated": sum(f.updated for f in imported)},
                  **details)


def record_switch(data_dir: Path, who: str, before: str | None, after: str, via: str = "web") -> dict:
    """The entry of making another snapshot current for everyone (a rollback when it is an older one)."""
    return record(data_dir, who, "switch_current", via, before=before, after=after)


def entries(data_dir: Path) -> list[dict]:
    """Every entry, oldest first; a line that is not JSON (a crash mid-write) stays visible as unreadable."""
    return read(log_path(data_dir))


def read(path: Path) -> list[dict]:
    """Every entry of a log file written by `append`, oldest first; a line that is not JSON stays as unreadable."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return []
    found = []
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            entry = None
        found.append(entry if isinstance(entry, dict) else {"details": UNREADABLE + line[:200]})
    return found


def _cell(value, words: dict = DETAIL_LABELS) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "、".join(map(str, value))
    if isinstance(value, dict):
        return "，".join(f"{words.get(k, k)} {_cell(v, words)}" for k, v in value.items() if v is not None)
    return str(value)


def frame(data_dir: Path, lang: str = "zh") -> pd.DataFrame:
    """The log as a table, newest first, headers and actions in Chinese (or English for an English reader); details
    not in their own column go to 详情."""
    words = CHINESE if lang == "zh" else ENGLISH
    actions, details = words["actions"], words["details"]
    rows = []
    for entry in reversed(entries(data_dir)):
        row = {key: _cell(entry.get(key), details) for key in HEADERS if key != "details"}
        row["time"] = row["time"].replace("T", " ").removesuffix("+08:00")
        row["action"] = actions.get(row["action"], row["action"])
        row["via"] = words["via"].get(row["via"], row["via"])
        rest = {k: actions.get(v, v) if k == "attempted" else v for k, v in entry.items() if k not in HEADERS}
        row["details"] = "；".join(filter(None, [_cell(rest, details), _cell(entry.get("details"), details)]))
        rows.append(row)
    return pd.DataFrame(rows, columns=list(HEADERS)).rename(columns=words["headers"])


def csv(data_dir: Path) -> bytes:
    """The log as CSV for Excel (UTF-8 with BOM, formula-like cells such as a file named =cmd neutralised)."""
    return csv_bytes(frame(data_dir))
