"""What a leader receives, sent by `python -m fupin push --now` to local servers that speak the providers' contracts:
the 企业微信 markdown then the PDF uploaded and sent as a file, the signed 钉钉 actionCard, the mail over STARTTLS
with a login (subject, HTML, text alternative, the 2-page PDF); a township account's subscription holds no other
township's figures; no secret in any output or file the run wrote; the mail and markdown on a 390 px phone."""

import datetime as dt
import json
import re
import subprocess
from types import SimpleNamespace

import pytest
from conftest import own_data_folder, run_cli
from push_preview import wecom_bubble
from push_servers import MailServer, RobotServer, self_signed_certificate

from fupin.auth import accounts
from fupin.query.filters import Filter
from fupin.report import brief, page_data
from fupin.settings import PROJECT_ROOT
from fupin.text import fmt

pytestmark = [pytest.mark.server, pytest.mark.browser, pytest.mark.slow]   # Chromium prints two PDFs

DAY = dt.date(2018, 12, 29)
SUBJECT = "垣曲县消费帮扶简报（截至2018年12月29日）"
COUNTY_KEY, TOWNSHIP_KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa", "b1c2d3e4-aaaa-4bc4-97a0-huafeng0001"
TOKEN, SIGN_SECRET = "dt0c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9", "SEC9f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c6b5a4"
SMTP_USER, SMTP_PASSWORD = "brief@example.gov.cn", "smtp-Pa55word-7d1e"
SECRETS = (COUNTY_KEY, TOWNSHIP_KEY, TOKEN, SIGN_SECRET, SMTP_PASSWORD)
LINK = "http://dashboard.example.gov.cn:8501/?scope=140827&to=2018-12-29"
SCREENSHOTS = PROJECT_ROOT / "artifacts" / "screenshots"


@pytest.fixture(scope="module")
def sent(demo_store, tmp_path_factory):
    """Two subscriptions sent once each: 垣曲县 to all three channels, 华峰乡 for a township account."""
    root = tmp_path_factory.mktemp("push")
    data = root / "data"
    data.mkdir()
    own_data_folder(demo_store, data)
    robots = RobotServer()
    mail = MailServer("starttls", self_signed_certificate(root), users={SMTP_USER: SMTP_PASSWORD})
    secrets = root / "secrets" / "push.json"
    secrets.parent.mkdir(mode=0o700)
    secrets.write_text(json.dumps({"smtp_password": SMTP_PASSWORD}))   # the password from the file, not the environment
    secrets.chmod(0o600)
    env = {"FUPIN_PUSH_SECRETS": str(secrets), "FUPIN_PUBLIC_URL": "http://dashboard.example.gov.cn:8501",
           "FUPIN_SMTP_HOST": "127.0.0.1", "FUPIN_SMTP_PORT": str(mail.port), "FUPIN_SMTP_SECURITY": "starttls",
           "FUPIN_SMTP_USER": SMTP_USER, "FUPIN_SMTP_PASSWORD": "", "FUPIN_MAIL_FROM": SMTP_USER,
           "FUPIN_SMTP_CAFILE": str(root / "smtp-cert.pem")}
    accounts.add_user(data, "hf", "township", "140827203", "secret-pass-1")
    runs = [
        run_cli("subscriptions", "add", "县领导早报", "--scope", "140827", "--daily", "08:00", "--as-of", "2018-12-29",
                "--wecom", robots.wecom_url(COUNTY_KEY), "--dingtalk", robots.dingtalk_url(TOKEN, SIGN_SECRET),
                "--dingtalk-secret", SIGN_SECRET, "--mail", "leader@yuanqu.example.gov.cn", data=data, env=env),
        run_cli("subscriptions", "add", "华峰乡", "--scope", "140827203", "--daily", "08:00", "--as-of", "2018-12-29",
                "--for", "hf", "--wecom", robots.wecom_url(TOWNSHIP_KEY), "--mail", "hf@yuanqu.example.gov.cn",
                data=data, env=env),
    ]
    runs += [run_cli("push", "--now", "县领导早报", data=data, env=env),
             run_cli("push", "--now", "华峰乡", data=data, env=env)]
    yield SimpleNamespace(data=data, root=root, robots=robots, mail=mail, runs=runs, secrets=secrets)
    robots.close()
    mail.close()


def wecom_requests(robots: RobotServer, key: str) -> list:
    return [r for r in robots.received if r.query.get("key") == key]


def mail_to(mail: MailServer, address: str):
    return next(m for m in mail.messages if m["To"] == address)


def pdf_text(data: bytes, tmp_path) -> tuple[str, int]:
    path = tmp_path / "brief.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", "", text), int(re.search(r"Pages:\s+(\d+)", info)[1])


def test_every_run_succeeded_with_one_line_per_channel(sent):
    assert [r.returncode for r in sent.runs] == [0, 0, 0, 0], [r.stderr for r in sent.runs]
    lines = sent.runs[2].stdout.splitlines()
    assert [line.split("\t")[2] for line in lines] == ["已发送"] * 3
    assert lines[0].startswith("县领导早报\t企业微信 ****5aaa\t已发送") and "markdown ok; file ok" in lines[0]


def test_wecom_gets_the_headline_as_markdown_then_the_pdf_as_a_file(sent, demo_db):
    markdown, upload, file = wecom_requests(sent.robots, COUNTY_KEY)
    assert [markdown.path, upload.path, file.path] == ["/cgi-bin/webhook/send", "/cgi-bin/webhook/upload_media",
                                                       "/cgi-bin/webhook/send"]
    assert markdown.payload["msgtype"] == "markdown" and file.payload["msgtype"] == "file"
    content = markdown.payload["markdown"]["content"]
    assert content.startswith(f"## {SUBJECT}\n") and "2018-01-01 — 2018-12-29" in content
    figures = brief.build(demo_db, Filter.year_to_date(DAY, counties=("140827",)), "140827", "垣曲县")
    top = figures["attention_lines"]["zh"]
    assert all(f"{i}. {line}" in content for i, line in enumerate(top[:5], start=1)) and "6. " not in content
    assert f"另有{len(top) - 5}项需要关注" in content
    assert "> 采购金额 **4154.6万元**，完成全年目标103.9%，<font color=\"info\">超序时4.4个百分点</font>" in content
    assert '<font color="warning">落后序时6.2个百分点</font>' in content and f"[打开监测平台查看]({LINK})" in content
    name, pdf = upload.file
    assert name == "简报_垣曲县_2018-12-29.pdf" and pdf.startswith(b"%PDF")
    assert upload.query["type"] == "file" and file.payload["file"]["media_id"] == upload.answer["media_id"]


def test_dingtalk_gets_a_signed_action_card_with_the_link(sent):
    (request,) = [r for r in sent.robots.received if r.path == "/robot/send"]
    assert request.answer == {"errcode": 0, "errmsg": "ok"}, "the mock verified the signature with the shared secret"
    assert request.query["access_token"] == TOKEN and request.query["timestamp"].isdigit() and request.query["sign"]
    card = request.payload["actionCard"]
    assert request.payload["msgtype"] == "actionCard" and card["title"] == SUBJECT and card["singleURL"] == LINK
    assert "**需要关注的问题**" in card["text"] and "- 快速检测 **606批次**" in card["text"]


def test_the_mail_has_the_subject_html_text_and_the_two_page_pdf(sent, tmp_path):
    mail = mail_to(sent.mail, "leader@yuanqu.example.gov.cn")
    assert mail["Subject"] == SUBJECT and mail["From"] == SMTP_USER
    assert [p.get_content_type() for p in mail.walk()] == \
        ["multipart/mixed", "multipart/alternative", "text/plain", "text/html", "application/pdf"]
    assert sent.mail.logins[0] == (SMTP_USER, SMTP_PASSWORD), "logged in, after STARTTLS, with the file's password"
    text, page = mail.get_body(("plain",)).get_content(), mail.get_body(("html",)).get_content()
    assert "需要关注的问题\n1. 王茅镇落后序时进度" in text and "- 采购金额 4154.6万元" in text and LINK in text
    assert '<meta name="viewport"' in page and "4154.6万元" in page and "需要关注的问题" in page
    (attachment,) = mail.iter_attachments()
    assert attachment.get_filename() == "简报_垣曲县_2018-12-29.pdf"
    words, pages = pdf_text(attachment.get_content(), tmp_path)
    assert pages == 2 and "需要关注" in words and re.search(r"4154\.6万?元", words) and "垣曲县" in words


def test_a_township_accounts_subscription_holds_no_other_townships_figures(sent, demo_db, tmp_path):
    flt = Filter.year_to_date(DAY, counties=("140827",))
    townships = page_data.township_summary(demo_db, flt)
    others = townships[townships["township_code"] != "140827203"]
    own = townships.set_index("township_code").at["140827203", "amount_yuan"]
    markdown = wecom_requests(sent.robots, TOWNSHIP_KEY)[0].payload["markdown"]["content"]
    (attachment,) = mail_to(sent.mail, "hf@yuanqu.example.gov.cn").iter_attachments()
    words, _ = pdf_text(attachment.get_content(), tmp_path)
    assert fmt.money(own) in markdown and fmt.money(own) in words
    for name in others["township_name"]:
        assert name not in markdown
    for amount in others["amount_yuan"]:
        figure = fmt.number(amount / 10_000)
        assert figure not in markdown and figure not in words, figure
    assert "4154.6" not in words and "4154.6" not in markdown


def test_no_secret_reaches_any_output_or_file_the_run_wrote(sent):
    printed = "".join(r.stdout + r.stderr for r in sent.runs)
    written = [p for p in sent.data.rglob("*") if p.is_file() and "snapshots" not in p.relative_to(sent.data).parts]
    assert {p.name for p in written} >= {"subscriptions.json", "push_deliveries.jsonl", "audit.jsonl"}
    for secret in SECRETS:
        assert secret not in printed
        for path in written:
            assert secret.encode() not in path.read_bytes(), (secret[-4:], path.name)
    held = sent.secrets.read_text()
    assert all(secret in held for secret in SECRETS), "they are in the secrets file, and only there"


def test_the_mail_and_the_markdown_read_on_a_390_px_phone(sent, chromium):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    mail = mail_to(sent.mail, "leader@yuanqu.example.gov.cn").get_body(("html",)).get_content()
    markdown, upload, _ = wecom_requests(sent.robots, COUNTY_KEY)
    bubble = wecom_bubble(markdown.payload["markdown"]["content"], upload.file[0], len(upload.file[1]))
    context = chromium.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    context.route("**/*", lambda route: route.abort() if not route.request.url.startswith("data:") else route.continue_())
    try:
        for name, page_html in (("push_mail_390.png", mail), ("push_wecom_390.png", bubble)):
            page = context.new_page()
            page.set_content(page_html)
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
            page.screenshot(path=str(SCREENSHOTS / name), full_page=True)
    finally:
        context.close()
