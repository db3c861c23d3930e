"""`python -m fupin deploy`: write the nginx, systemd and environment files for a server, or `--check URL` a running
deployment."""

import argparse
import getpass
import os
import secrets
from pathlib import Path

from .. import settings
from .common import write_atomically
from .errors import OK, REJECTED, UsageError


def add_parser(sub) -> None:
    """The `deploy` command's arguments."""
    dep = sub.add_parser("deploy", help="写出部署文件（nginx 站点与完整的 nginx.conf、systemd 单元、env.example），"
                                        "或用 --check URL 检查一个运行中的部署")
    dep.add_argument("--data", type=Path, default=argparse.SUPPRESS, help="副本共用的数据目录（须已存在且可写）")
    dep.add_argument("--out", type=Path, help="写出文件的目录")
    dep.add_argument("--server-name", default="localhost", help="人们访问的主机名（默认 localhost）")
    dep.add_argument("--base-path", default="fupin", help="子路径（默认 fupin：https://主机名/fupin/）")
    dep.add_argument("--replicas", default="8631,8632", help="副本的端口，逗号分隔（默认 8631,8632；其他机器上的写 HOST:PORT）")
    dep.add_argument("--https-port", default="443")
    dep.add_argument("--http-port", default="80", help="跳转到 HTTPS 的 HTTP 端口（默认 80；--check 时也用它）")
    dep.add_argument("--cert", type=Path, help="TLS 证书（PEM，含中间证书）")
    dep.add_argument("--key", type=Path, help="TLS 私钥（PEM）")
    dep.add_argument("--user", default="fupin", help="运行副本的系统用户（默认 fupin）")
    dep.add_argument("--nginx-user", default=getpass.getuser(),
                     help="独立运行 nginx.conf 时 worker 的用户（默认当前用户；系统的 nginx 不用它）")
    dep.add_argument("--listen-address", default="127.0.0.1", help="副本监听的地址（默认 127.0.0.1：只经 nginx 访问）")
    dep.add_argument("--metrics-from", action="append", default=[], help="可以经 nginx 读取 /metrics 的监控地址（可重复）")
    dep.add_argument("--backup-dir", type=Path, default=Path("/var/backups/fupin"), help="夜间备份的目录")
    dep.add_argument("--backup-time", default="02:30", help="夜间备份的时间（HH:MM，默认 02:30）")
    dep.add_argument("--check", metavar="URL", help="检查运行中的部署，例如 https://fupin.example.gov.cn/fupin/")
    dep.add_argument("--insecure", action="store_true", help="--check 时不校验证书（自签名证书）")
    dep.set_defaults(func=run_deploy)


def run_deploy(args) -> int:
    from ..deploy.checks import DeployValueError

    try:
        return _check(args) if args.check else _write(args)
    except DeployValueError as e:
        raise UsageError(str(e)) from None


def _check(args) -> int:
    from ..deploy import checks
    from ..deploy.probe import probe

    try:
        found = probe(args.check, args.insecure, checks.port(args.http_port, "--http-port"))
    except ValueError as e:
        raise UsageError(str(e)) from None
    for check in found:
        print(check.line())
    return OK if all(check.ok for check in found) else REJECTED


def _write(args) -> int:
    from ..deploy import checks
    from ..deploy.render import NGINX_FOLDERS, Deployment, render

    if args.out is None or args.cert is None or args.key is None:
        raise UsageError("deploy 需要 --out、--cert 和 --key（或用 --check URL 检查运行中的部署）")
    replicas = checks.replicas(args.replicas)
    https_port, http_port = checks.port(args.https_port, "--https-port"), checks.port(args.http_port, "--http-port")
    if len({https_port, http_port, *(r.port for r in replicas if r.local)}) != 2 + sum(r.local for r in replicas):
        raise UsageError("--https-port、--http-port 和 --replicas 的端口不能相同")
    deployment = Deployment(
        out=args.out.absolute(), server_name=checks.server_name(args.server_name),
        base_path=checks.base_path(args.base_path), replicas=replicas, https_port=https_port, http_port=http_port,
        cert=checks.readable_file(args.cert, "--cert"), key=checks.readable_file(args.key, "--key"),
        data=checks.data_folder(args.data), max_upload_mb=settings.max_upload_mb(),
        metrics_token=secrets.token_urlsafe(32), user=args.user, nginx_user=args.nginx_user,
        listen_address=args.listen_address, metrics_from=checks.networks(args.metrics_from),
        backup_dir=args.backup_dir.absolute(), backup_time=checks.time_of_day(args.backup_time))
    for replica in replicas:
        if replica.local:
            checks.port_free(replica.port)
    files = render(deployment)
    for folder in {str(Path(name).parent) for name in files} | set(NGINX_FOLDERS):
        (deployment.out / folder).mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        write_atomically(deployment.out / name, text.encode("utf-8"))
    os.chmod(deployment.out / "env.example", 0o600)   # it holds the metrics token
    nginx_dir = deployment.out / "nginx"
    print(f"已写入 {deployment.out}：{'、'.join(files)}；试运行：nginx -p {nginx_dir}/ -c nginx.conf")
    return OK
