"""The values `python -m fupin deploy` is given, checked before any file is written: each problem is one sentence."""

import errno
import ipaddress
import os
import re
import socket
from pathlib import Path

from .render import Replica

SERVER_NAME = re.compile(r"^(_|[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*)$")
PATH_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
TIME_OF_DAY = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


class DeployValueError(ValueError):
    """A value the deployment cannot use: one line naming it."""


def base_path(text: str) -> str:
    """The sub-path without its slashes (`fupin`, `apps/fupin`), or DeployValueError for one with odd characters."""
    path = (text or "").strip("/")
    if not path or not all(PATH_PART.match(part) for part in path.split("/")):
        raise DeployValueError(f"--base-path 无效：{text!r}（只能用字母、数字、- 和 _，以 / 分段，例如 fupin）")
    return path


def server_name(text: str) -> str:
    """A host name or an IP address nginx can match."""
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        pass
    if not SERVER_NAME.match(text or ""):
        raise DeployValueError(f"--server-name 无效：{text!r}（应为主机名，例如 fupin.example.gov.cn，或 IP 地址）")
    return text


def port(text: str, option: str) -> int:
    """A TCP port number."""
    if not re.fullmatch(r"[0-9]{1,5}", text.strip()) or not 1 <= int(text) <= 65535:
        raise DeployValueError(f"{option} 无效：{text!r}（应为 1 到 65535 之间的端口号）")
    return int(text)


def replicas(text: str) -> tuple[Replica, ...]:
    """`8631,8632` (ports on this machine) or `10.0.0.5:8631,...`: distinct replicas."""
    found = []
    for item in (text or "").split(","):
        host, _, number = item.strip().rpartition(":")
        host = host.strip("[]") or "127.0.0.1"
        if host != "localhost":
            try:
                host = str(ipaddress.ip_address(host))
            except ValueError:
                server_name(host)
        replica = Replica(host, port(number, "--replicas"))
        if replica.local and replica.port < 1024:
            raise DeployValueError(f"--replicas 无效：{item.strip()!r}（本机副本的端口应不小于 1024）")
        found.append(replica)
    if len({r.port for r in found if r.local}) != sum(1 for r in found if r.local) or len(set(found)) != len(found):
        raise DeployValueError(f"--replicas 无效：{text!r}（有重复的端口）")
    return tuple(found)


def port_free(number: int, host: str = "127.0.0.1") -> None:
    """DeployValueError when something already listens on a port of this machine (a replica could not start)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        try:
            sock.bind((host, number))
        except OSError as e:
            if e.errno == errno.EADDRINUSE:
                raise DeployValueError(f"端口 {number} 已被占用（副本无法在此端口启动）；换一个端口或先停止占用它的程序") from None
            raise DeployValueError(f"端口 {number} 无法使用：{e.strerror}") from None


def data_folder(path: Path) -> Path:
    """The data folder: it must exist and be writable (the replicas write sessions, imports and the audit log)."""
    path = Path(path).absolute()
    if not path.is_dir():
        raise DeployValueError(f"数据目录不存在：{path}（先创建它，例如 python -m fupin --data {path} demo，或恢复一个备份）")
    if not os.access(path, os.W_OK | os.X_OK):
        raise DeployValueError(f"数据目录不可写：{path}（副本要在其中写入导入的快照、会话和审计日志）")
    return path


def readable_file(path: Path, option: str) -> Path:
    """A certificate or key file that exists and can be read."""
    path = Path(path).absolute()
    if not path.is_file() or not os.access(path, os.R_OK):
        raise DeployValueError(f"{option} 文件不存在或不可读：{path}")
    return path


def networks(items: list[str]) -> tuple[str, ...]:
    """Addresses or networks allowed to read /metrics through nginx."""
    found = []
    for item in items:
        try:
            found.append(str(ipaddress.ip_network(item.strip(), strict=False)))
        except ValueError:
            raise DeployValueError(f"--metrics-from 无效：{item!r}（应为 IP 地址或网段，例如 10.0.0.9 或 10.0.0.0/24）") from None
    return tuple(found)


def time_of_day(text: str) -> str:
    """HH:MM for the nightly backup."""
    if not TIME_OF_DAY.match(text or ""):
        raise DeployValueError(f"--backup-time 无效：{text!r}（应为 HH:MM，例如 02:30）")
    return text
