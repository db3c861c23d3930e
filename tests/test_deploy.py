"""`python -m fupin deploy`: the files it writes (nginx accepts the config, systemd the units) and the values it refuses
in one line with exit status 2. The deployment running behind the real nginx is tests/test_deploy_nginx.py."""

import re
import shutil
import socket
import subprocess

import pytest
from conftest import run_cli

from fupin.deploy.render import OUTPUTS, content_security_policy, streamlit_inline_scripts


@pytest.fixture(scope="module")
def tls(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1, made with openssl."""
    folder = tmp_path_factory.mktemp("tls")
    done = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                           "-keyout", folder / "key.pem", "-out", folder / "cert.pem", "-subj", "/CN=127.0.0.1",
                           "-addext", "subjectAltName=IP:127.0.0.1"], capture_output=True)
    assert done.returncode == 0, done.stderr
    return folder / "cert.pem", folder / "key.pem"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def deploy(tmp_path, tls, *extra, data=None, env=None):
    cert, key = tls
    if data is None:
        data = tmp_path / "data"
        data.mkdir(exist_ok=True)
    return run_cli("deploy", "--out", tmp_path / "out", "--server-name", "fupin.example.gov.cn", "--cert", cert,
                   "--key", key, "--data", data, *extra, env=env)


def one_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and result.stdout == "", (result.stdout, result.stderr)
    return lines[0]


def test_the_files_nginx_and_systemd_accept(tmp_path, tls):
    a, b, https, http = (free_port() for _ in range(4))
    done = deploy(tmp_path, tls, "--replicas", f"{a},{b}", "--https-port", https, "--http-port", http,
                  "--metrics-from", "10.0.0.9", env={"FUPIN_MAX_UPLOAD_MB": "120"})
    assert done.returncode == 0 and done.stderr == "", done.stderr
    out = tmp_path / "out"
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == sorted(OUTPUTS)
    tested = subprocess.run(["nginx", "-t", "-p", f"{out}/nginx/", "-c", "nginx.conf", "-e", "logs/error.log"],
                            capture_output=True, text=True)
    assert tested.returncode == 0 and "test is successful" in tested.stderr, tested.stderr

    site = (out / "nginx" / "fupin.conf").read_text()
    assert "client_max_body_size 130m;" in site                      # FUPIN_MAX_UPLOAD_MB and a margin
    assert f"return 301 https://$host:{https}$request_uri;" in site
    for port in (a, b):                                              # the cookie names the replica that answered
        assert f'"~127\\.0\\.0\\.1:{port}$" "fupin_srv={port}; Path=/fupin/; Secure; HttpOnly; SameSite=Lax";' in site
        assert f"{port} fupin_{port};" in site
    assert "error_page 502 504 = @fupin_any;" in site
    assert site.count("proxy_set_header Upgrade $http_upgrade;") == 2 and site.count("proxy_buffering off;") == 2
    assert "allow 10.0.0.9/32;" in site and "location = /fupin/_stcore/metrics {\n        deny all;" in site

    env = (out / "env.example").read_text()
    assert (out / "env.example").stat().st_mode & 0o777 == 0o600
    assert f"FUPIN_DATA={tmp_path / 'data'}" in env and "FUPIN_DEMO_WRITES=off" in env
    assert re.search(r"^FUPIN_METRICS_TOKEN=[A-Za-z0-9_-]{40,}$", env, re.M)

    unit = (out / "systemd" / "fupin@.service").read_text()
    for line in ("User=fupin", "EnvironmentFile=/etc/fupin/env", "Restart=on-failure", "NoNewPrivileges=yes",
                 "ProtectSystem=strict", f"ReadWritePaths={tmp_path / 'data'}", "PrivateTmp=yes",
                 "--server.port %i", "--server.baseUrlPath fupin"):
        assert line in unit
    assert "backup /var/backups/fupin" in (out / "systemd" / "fupin-backup.service").read_text()
    push = (out / "systemd" / "fupin-push.service").read_text()
    assert "push --due" in push and "ReadWritePaths=" in push and "/etc/fupin/push" in push
    assert "OnCalendar=*-*-* *:*:00" in (out / "systemd" / "fupin-push.timer").read_text()
    assert f"FUPIN_PUBLIC_URL=https://fupin.example.gov.cn:{https}/fupin" in env    # the link in a pushed brief
    folder = tmp_path / "units"                                      # systemd parses each unit without a word
    folder.mkdir()
    for name in ("fupin-backup.service", "fupin-backup.timer", "fupin-sync.service", "fupin-sync.timer",
                 "fupin-push.service", "fupin-push.timer"):
        (folder / name).write_text((out / "systemd" / name).read_text())
    (folder / f"fupin@{a}.service").write_text(unit)
    checked = subprocess.run(["systemd-analyze", "verify", *sorted(folder.iterdir())], capture_output=True, text=True)
    assert checked.returncode == 0 and checked.stderr == "", checked.stderr


def test_the_site_fits_into_debians_own_nginx_conf(tmp_path, tls):
    """On a server the site is included from /etc/nginx/sites-enabled/, inside Debian's main config."""
    done = deploy(tmp_path, tls, "--replicas", f"{free_port()},{free_port()}")
    assert done.returncode == 0, done.stderr
    etc = tmp_path / "etc-nginx"
    shutil.copytree("/etc/nginx", etc, symlinks=True)
    main = etc / "nginx.conf"
    main.write_text(main.read_text().replace("/etc/nginx/", f"{etc}/"))
    for old in (etc / "sites-enabled").iterdir():
        old.unlink()
    shutil.copy(tmp_path / "out" / "nginx" / "fupin.conf", etc / "sites-enabled" / "fupin.conf")
    tested = subprocess.run(["nginx", "-t", "-c", str(main)], capture_output=True, text=True)
    assert tested.returncode == 0 and "test is successful" in tested.stderr, tested.stderr


def test_the_csp_allows_streamlits_inline_script_by_its_hash_and_nothing_inline_else():
    policy = content_security_policy()
    scripts = streamlit_inline_scripts()
    assert scripts and policy.count("'sha256-") == len(scripts)
    script_src = next(d for d in policy.split("; ") if d.startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src


@pytest.mark.parametrize("option, value, words", [
    ("--base-path", "fu pin", "--base-path 无效"),
    ("--base-path", "../etc", "--base-path 无效"),
    ("--base-path", "fupin;return", "--base-path 无效"),
    ("--server-name", "a b", "--server-name 无效"),
    ("--replicas", "8631,8631", "有重复的端口"),
    ("--replicas", "80", "不小于 1024"),
    ("--https-port", "70000", "--https-port 无效"),
    ("--backup-time", "25:00", "--backup-time 无效"),
    ("--metrics-from", "monitor", "--metrics-from 无效"),
])
def test_odd_values_are_one_line_and_exit_2(tmp_path, tls, option, value, words):
    refused = deploy(tmp_path, tls, "--replicas", f"{free_port()},{free_port()}", option, value)
    assert refused.returncode == 2 and words in one_line(refused)
    assert not (tmp_path / "out").exists()


def test_a_port_in_use_is_refused(tmp_path, tls):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        refused = deploy(tmp_path, tls, "--replicas", f"{free_port()},{port}")
    assert refused.returncode == 2 and f"端口 {port} 已被占用" in one_line(refused)
    assert not (tmp_path / "out").exists()


def test_a_data_folder_missing_or_read_only_is_refused(tmp_path, tls):
    refused = deploy(tmp_path, tls, data=tmp_path / "nowhere" / "data")
    assert refused.returncode == 2 and "数据目录不存在" in one_line(refused)

    mount = tmp_path / "ro"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,ro", "tmpfs", str(mount)], capture_output=True)
    assert done.returncode == 0, f"cannot mount a tmpfs: {done.stderr.decode(errors='replace')}"
    try:
        refused = deploy(tmp_path, tls, data=mount)
        assert refused.returncode == 2 and "数据目录不可写" in one_line(refused)
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_a_missing_certificate_is_refused(tmp_path, tls):
    refused = deploy(tmp_path, (tmp_path / "none.pem", tls[1]))
    assert refused.returncode == 2 and "--cert 文件不存在" in one_line(refused)
