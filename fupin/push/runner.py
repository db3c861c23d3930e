"""Sending subscriptions: every one that is due (`push --due`, once per schedule slot even when runners overlap: each
subscription is sent under its own lock, after reading the delivery log again), one now (`push --now`), or a test
to one channel ("发送测试"); every outcome goes to the delivery log, with no secret in it."""

import datetime as dt
import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..auth import accounts, audit
from ..auth.acting import NotAllowed
from ..auth.files import locked
from ..auth.permissions import User
from ..query.db import SnapshotDB
from ..report.briefing_pdf import PdfError
from ..settings import SettingsError
from ..store.store import SnapshotStore
from ..text.fmt import BEIJING
from ..text.i18n import t
from . import alerts, config, content, deliveries, mail, robots, secrets_file, subscriptions
from .http import SendError, Tries
from .place import Place, resolve, user_may_see
from .schedule import slot_id
from .subscriptions import Channel, Subscription

log = logging.getLogger(__name__)


class Refused(Exception):
    """A subscription that cannot be sent as it stands (its account disabled, its place gone): one sentence."""


@dataclass(frozen=True)
class Outcome:
    """What happened to one channel of a subscription (channel None: to the whole subscription)."""

    subscription: str
    channel: Channel | None
    outcome: str
    message: str
    tries: int = 0

    def line(self, lang: str = "zh") -> str:
        """One line for the command line: name, channel, outcome, tries, message."""
        channel = self.channel.label(lang) if self.channel else "—"
        return "\t".join([self.subscription, channel, t(f"delivery_{self.outcome}", lang),
                          t("push_tries", lang, n=self.tries), self.message])


def lock_name(name: str) -> str:
    """The lock file a subscription is sent under (by its name's hash: any name makes a safe file name)."""
    return f".push-{hashlib.sha256(name.encode('utf-8')).hexdigest()[:16]}.lock"


def _now() -> dt.datetime:
    return dt.datetime.now(BEIJING)


class Runner:
    """Sends subscriptions from one data folder on the current snapshot; `now` and `sleep` are injectable (tests
    neither wait for a minute nor between tries). Use as a context manager: it holds the snapshot's database."""

    def __init__(self, data_dir: Path, now: Callable[[], dt.datetime] = _now,
                 sleep: Callable[[float], None] = time.sleep):
        self.data_dir = Path(data_dir)
        self.now = now
        self.sleep = sleep
        self._db: SnapshotDB | None = None
        self._messages: dict[tuple, content.Message] = {}

    def __enter__(self) -> "Runner":
        return self

    def __exit__(self, *exc) -> None:
        if self._db is not None:
            self._db.close()

    @property
    def db(self) -> SnapshotDB:
        if self._db is None:
            self._db = SnapshotDB(SnapshotStore(self.data_dir).serve().snapshot)
        return self._db

    def due(self) -> list[Outcome]:
        """Send every subscription whose latest slot is due and not yet in the delivery log, each channel once."""
        outcomes = []
        now = self.now()
        for sub in subscriptions.load(self.data_dir):
            slot = sub.schedule.due_slot(now, sub.created)
            if slot is None:
                continue
            with locked(self.data_dir, lock_name(sub.name)):
                log = deliveries.entries(self.data_dir)
                waiting = [c for c in sub.channels if not deliveries.slot_done(log, sub.name, c.id, slot_id(slot))]
                if waiting:
                    outcomes += self._send(sub, waiting, "scheduled", log, slot=slot_id(slot))
        return outcomes

    def send_now(self, name: str, who: str, via: str = "cli") -> list[Outcome]:
        """Send one subscription to all its channels at once (an alert subscription too, naming what is new)."""
        sub = self._find(name)
        with locked(self.data_dir, lock_name(sub.name)):
            outcomes = self._send(sub, list(sub.channels), "now", deliveries.entries(self.data_dir))
            self._audit(who, via, "push_now", sub, outcomes)
        return outcomes

    def send_test(self, name: str, who: str, via: str = "cli", channel_id: str | None = None,
                  recheck: Callable[[], User] | None = None) -> list[Outcome]:
        """Send the brief marked 【测试】 to one channel (or all) now; `recheck` (who asks, read again) runs under the
        subscription's lock first and refuses by raising NotAllowed. A test changes no alert's memory."""
        sub = self._find(name)
        channels = [c for c in sub.channels if channel_id in (None, c.id)]
        if not channels:
            raise subscriptions.SubscriptionError(f"订阅 {name} 没有这个渠道: {channel_id}")
        with locked(self.data_dir, lock_name(sub.name)):
            if recheck is not None:
                user = recheck()
                if not user.demo and user.role != "admin" and not self._may_see(user, sub):
                    raise NotAllowed("scope")
            outcomes = self._send(sub, channels, "test", [], test=True)
            self._audit(who, via, "push_test", sub, outcomes)
        return outcomes

    def _find(self, name: str) -> Subscription:
        sub = subscriptions.find(self.data_dir, name)
        if sub is None:
            raise subscriptions.SubscriptionError(f"没有这个订阅: {name}")
        return sub

    def _may_see(self, user: User, sub: Subscription) -> bool:
        place = resolve(self.db, sub.scope, self._as_of(sub).year)
        return place is not None and user_may_see(user, place, self.db)

    def _as_of(self, sub: Subscription) -> dt.date:
        return dt.date.fromisoformat(sub.as_of) if sub.as_of else self.db.snapshot.as_of

    def _place(self, sub: Subscription) -> Place:
        """The subscription's place now, within its account's rights when it has one (Refused otherwise)."""
        place = resolve(self.db, sub.scope, self._as_of(sub).year)
        if place is None:
            raise Refused(f"当前数据中没有订阅的范围 {sub.scope}")
        if sub.for_user is None:
            return place
        account = accounts.find_user(self.data_dir, sub.for_user)
        if account is None or account.disabled:
            raise Refused(f"订阅所属账号 {sub.for_user} {'不存在' if account is None else '已停用'}，未发送")
        if not user_may_see(account.user(), place, self.db):
            raise Refused(f"订阅所属账号 {sub.for_user} 无权查看 {place.name}，未发送")
        return place

    def message(self, sub: Subscription) -> content.Message:
        """The subscription's message, built once per place, language and date in this run."""
        place = self._place(sub)
        as_of = self._as_of(sub)
        key = (place.code, sub.lang, as_of, self.db.snapshot.id)
        if key not in self._messages:
            self._messages[key] = content.build(self.db, place, as_of, sub.lang, self.data_dir, config.public_url())
        return self._messages[key]

    def _send(self, sub: Subscription, channels: list[Channel], kind: str, log: list[dict], slot: str | None = None,
              test: bool = False) -> list[Outcome]:
        """Build the message, decide whether an alert has news, send to each channel and log every outcome."""
        scrub = _scrubber()
        try:
            message = self.message(sub)
        except (Refused, SettingsError) as e:
            return [self._log(sub, None, kind, "failed", scrub(str(e)), slot)]
        except Exception as e:   # a brief that cannot be built fails its slot once, not every minute for hours
            log.exception("building the brief of subscription %s failed", sub.name)
            return [self._log(sub, None, kind, "failed", scrub(_one_line("生成简报失败", e)), slot)]
        new: list[str] = []
        keys = message.attention_keys if sub.only_attention and not test else None
        if keys is not None:
            fresh = alerts.new_items(message.items, deliveries.last_sent_keys(log, sub.name))
            if not fresh and kind == "scheduled":
                return [self._log(sub, c, kind, "skipped", t("push_nothing_new", sub.lang), slot,
                                  as_of=message.as_of) for c in channels]
            new = [alerts.reason(item, sub.lang) for item in fresh]
        outcomes = []
        for channel in channels:
            tries = Tries(self.sleep)
            try:
                said, outcome = self._deliver(channel, message, tries, new, test), "sent"
            except (SendError, PdfError, SettingsError, OSError) as e:
                said, outcome = str(e), "failed"
            except Exception as e:   # a bug in one channel leaves the others sent and the slot recorded
                log.exception("sending subscription %s to %s failed", sub.name, channel.kind)
                said, outcome = _one_line("发送出错", e), "failed"
            outcomes.append(self._log(sub, channel, kind, outcome, scrub(said), slot, tries.count, message.as_of,
                                      keys if outcome == "sent" else None))
        return outcomes

    def _deliver(self, channel: Channel, message: content.Message, tries: Tries, new: list[str], test: bool) -> str:
        if channel.kind == "mail":
            return mail.send(config.smtp(), secrets_file.smtp_password(), message, channel.hint, tries, new, test)
        secrets = secrets_file.channel_secrets(channel.id)
        if not secrets.get("url"):
            raise SendError(f"密钥文件中没有这个渠道的地址（{config.secrets_path()}）")
        if channel.kind == "wecom":
            return robots.send_wecom(secrets["url"], message, tries, new, test)
        return robots.send_dingtalk(secrets["url"], secrets.get("secret"), message, tries, new, test)

    def _log(self, sub: Subscription, channel: Channel | None, kind: str, outcome: str, said: str,
             slot: str | None, tries: int = 0, as_of: dt.date | None = None,
             keys: list[str] | None = None) -> Outcome:
        deliveries.record(self.data_dir, sub.name, channel, kind, outcome, said, slot=slot, tries=tries,
                          as_of=as_of.isoformat() if as_of else None, attention_keys=keys)
        return Outcome(sub.name, channel, outcome, said, tries)

    def _audit(self, who: str, via: str, action: str, sub: Subscription, outcomes: list[Outcome]) -> None:
        audit.record(self.data_dir, who, action, via, subscription=sub.name,
                     outcome="；".join(f"{o.channel.label() if o.channel else '—'} {t(f'delivery_{o.outcome}')}"
                                      for o in outcomes))


def _one_line(what: str, error: Exception) -> str:
    first = (str(error).splitlines() or [""])[0][:200]
    return f"{what}（{type(error).__name__}: {first}）"


def _scrubber() -> Callable[[str], str]:
    """Masks every secret of the secrets file (and the SMTP password) in a text that will be logged or shown."""
    try:
        known = secrets_file.all_secrets()
    except (OSError, SettingsError):
        known = []
    password = config.smtp_password_from_env()
    known += [password] if password else []
    return lambda text: secrets_file.scrub(text, known)
