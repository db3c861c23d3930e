"""Mail over SMTP (plain, STARTTLS or SSL, with a login when a user is set): the subject is the brief's title, an
HTML body with a plain-text alternative, and the PDF attached."""

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from . import render
from .config import Smtp
from .content import Message
from .http import TIMEOUT_S, SendError, Tries


def build(message: Message, to: str, sender: str, new: list[str] = (), test: bool = False) -> EmailMessage:
    """The mail: multipart/mixed of (plain text | HTML) and the PDF."""
    mail = EmailMessage()
    mail["Subject"] = render.heading(message, test)
    mail["From"] = sender
    mail["To"] = to
    mail["Date"] = formatdate(localtime=True)
    mail["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[1])
    mail.set_content(render.mail_text(message, new, test))
    mail.add_alternative(render.mail_html(message, new, test), subtype="html")
    mail.add_attachment(message.pdf, maintype="application", subtype="pdf", filename=message.pdf_name)
    return mail


def _deliver(settings: Smtp, password: str | None, mail: EmailMessage) -> str:
    """One SMTP session; SendError saying whether another try may help (a network error or a 4xx reply, which SMTP
    calls transient; not a 5xx, a refused login or an untrusted certificate)."""
    try:
        context = ssl.create_default_context(cafile=settings.cafile)
        if settings.security == "ssl":
            client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=TIMEOUT_S, context=context)
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_S)
        with client:
            if settings.security == "starttls":
                client.starttls(context=context)
            if settings.user:
                client.login(settings.user, password or "")
            client.send_message(mail)
            return f"250 ok ({settings.security})"
    except smtplib.SMTPRecipientsRefused as e:
        codes = [code for code, _ in e.recipients.values()]
        raise SendError(f"SMTP 收件人被拒绝：{codes}", retry=all(400 <= c < 500 for c in codes)) from None
    except smtplib.SMTPResponseException as e:
        text = e.smtp_error.decode(errors="replace") if isinstance(e.smtp_error, bytes) else str(e.smtp_error)
        raise SendError(f"SMTP {e.smtp_code} {text[:200]}", retry=400 <= e.smtp_code < 500) from None
    except ssl.SSLCertVerificationError as e:
        raise SendError(f"SMTP 证书不受信任：{e.verify_message}（可设置 FUPIN_SMTP_CAFILE）") from None
    except smtplib.SMTPNotSupportedError as e:
        raise SendError(f"SMTP 服务器不支持：{e}") from None
    except (smtplib.SMTPException, OSError) as e:
        raise SendError(f"SMTP 网络错误：{type(e).__name__} {e}", retry=True) from None


def send(settings: Smtp, password: str | None, message: Message, to: str, tries: Tries, new: list[str] = (),
         test: bool = False) -> str:
    """Send the brief to one address; what the server answered, in one line."""
    mail = build(message, to, settings.sender, new, test)
    return tries.run(lambda: _deliver(settings, password, mail))
