"""`python -m fupin subscriptions add|list|remove|test` and `python -m fupin push --due|--now NAME`: the brief sent on
a schedule to 企业微信 and 钉钉 robots and by mail; every change and every send by hand goes to the audit log."""

import argparse
import datetime as dt
import sys
from pathlib import Path

from ..auth import accounts
from ..push import config, deliveries
from ..push.schedule import parse
from ..push.subscriptions import SubscriptionError
from ..settings import SettingsError
from .brief import parse_date
from .common import add_as, command_group, record
from .errors import BROKEN, Rejected, UsageError, rejecting


class ChannelAction(argparse.Action):
    """--wecom URL, --dingtalk URL [--dingtalk-secret S], --mail ADDRESS, kept in the order given (a secret belongs
    to the 钉钉 robot before it); "-" reads the value from a line of standard input, out of sight of `ps`."""

    def __call__(self, parser, namespace, value, option_string=None):
        if value == "-":
            value = sys.stdin.readline().strip()
        channels = getattr(namespace, "channels", None) or []
        kind = self.dest
        if kind == "dingtalk_secret":
            if not channels or channels[-1]["kind"] != "dingtalk" or "secret" in channels[-1]:
                parser.error("--dingtalk-secret 须紧跟在它所属的 --dingtalk 之后")
            channels[-1]["secret"] = value
        else:
            channels.append({"kind": kind, "value": value})
        namespace.channels = channels


def _checked_place(data: Path, code: str, as_of: dt.date | None, for_user: str | None):
    """The place a scope code means in the current snapshot (in the data date's year), within the rights of the
    account the subscription is for."""
    from ..push.place import resolve, user_may_see
    from ..query.db import SnapshotDB
    from ..store.store import SnapshotStore

    db = SnapshotDB(SnapshotStore(data).serve(fall_back=False).snapshot)
    try:
        place = resolve(db, code, (as_of or db.snapshot.as_of).year)
        if place is None:
            raise UsageError(f"未知的范围: {code}（县（区）、市、组代码，或乡镇的9位代码）")
        if for_user:
            account = accounts.find_user(data, for_user)
            if account is None or account.disabled:
                raise Rejected(f"账号{'不存在' if account is None else '已停用'}: {for_user}")
            if not user_may_see(account.user(), place, db):
                raise Rejected(f"账号 {for_user} 无权查看 {place.name}：订阅的范围不能超出账号的范围")
        return place
    finally:
        db.close()


def _channels(specs: list[dict]):
    from ..push.subscriptions import mail_channel, robot_channel

    channels, secrets = [], {}
    for spec in specs:
        if spec["kind"] == "mail":
            channels.append(mail_channel(spec["value"]))
            continue
        channel, secret = robot_channel(spec["kind"], spec["value"], spec.get("secret"))
        channels.append(channel)
        secrets[channel.id] = secret
    return channels, secrets


@rejecting(SubscriptionError)
def cmd_add(args) -> int:
    from ..push import subscriptions

    try:
        schedule = parse(args.daily, args.weekly, args.monthly, args.at)
    except ValueError as e:
        raise UsageError(str(e)) from None
    as_of = parse_date(args.as_of) if args.as_of else None
    config.secrets_path()   # an unusable setting stops here, before anything is written
    place = _checked_place(args.data, args.scope, as_of, args.for_user)
    channels, secrets = _channels(getattr(args, "channels", None) or [])
    sub = subscriptions.new(args.name, place.code, place.name, args.lang, schedule, channels, args.only_attention,
                            args.for_user, as_of, args.as_)
    subscriptions.add(args.data, sub, secrets)
    labels = [c.label() for c in channels]
    record(args, "subscription_add", subscription=sub.name, scope=place.code, schedule=schedule.describe(),
           channels=labels)
    print(f"已新增订阅 {sub.name}（{place.name}，{schedule.describe()}"
          f"{'，仅在有新的需要关注的问题时发送' if sub.only_attention else ''}）：{'、'.join(labels)}")
    if config.public_url() is None:
        print("注意: 未设置 FUPIN_PUBLIC_URL，消息中不会有打开监测平台的链接", file=sys.stderr)
    if any(c.kind == "mail" for c in channels):
        try:
            config.smtp()
        except SettingsError as e:   # the subscription is kept: the server may be set up before its first send
            print(f"注意: {e}（邮件渠道在设置好之前会发送失败）", file=sys.stderr)
    return 0


def cmd_list(args) -> int:
    from ..push import subscriptions

    subs = subscriptions.load(args.data)
    if not subs:
        print("还没有订阅。新增：python -m fupin subscriptions add NAME --scope 140827 --daily 08:00 --mail ADDRESS")
    last = deliveries.latest(deliveries.entries(args.data))
    for sub in subs:
        print("\t".join([sub.name, f"{sub.scope_name}（{sub.scope}）", sub.schedule.describe(), sub.lang,
                         "仅新问题" if sub.only_attention else "定时", f"账号 {sub.for_user}" if sub.for_user else "—",
                         "、".join(c.label() for c in sub.channels),
                         f"最近：{deliveries.summary(last[sub.name])}" if sub.name in last else "尚未发送"]))
    return 0


@rejecting(SubscriptionError)
def cmd_remove(args) -> int:
    from ..push import subscriptions

    gone = subscriptions.remove(args.data, args.name)
    record(args, "subscription_remove", subscription=gone.name, channels=[c.label() for c in gone.channels])
    print(f"已删除订阅 {gone.name}（及其渠道的密钥）")
    return 0


def _report(outcomes) -> int:
    """One line per channel on stdout; exit 3 with one line on stderr when any failed."""
    for outcome in outcomes:
        print(outcome.line())
    failed = sum(o.outcome == "failed" for o in outcomes)
    if failed:
        print(f"错误: {failed} 个渠道发送失败（原因见上，并记入推送记录 {deliveries.FILE_NAME}）", file=sys.stderr)
        return BROKEN
    return 0


@rejecting(SubscriptionError)
def cmd_test(args) -> int:
    from ..push.runner import Runner

    with Runner(args.data) as runner:
        return _report(runner.send_test(args.name, args.as_, "cli", args.channel))


@rejecting(SubscriptionError)
def cmd_push(args) -> int:
    from ..push.runner import Runner

    with Runner(args.data) as runner:
        if args.now:
            return _report(runner.send_now(args.now, args.as_, "cli"))
        outcomes = runner.due()
    if not outcomes:
        print("没有到时间的订阅")
    return _report(outcomes)


def add_parser(sub) -> None:
    """Register `subscriptions` and `push` on the CLI's sub-parsers."""
    action = command_group(sub, "subscriptions", "订阅：定时把简报推送到企业微信、钉钉群机器人和邮箱")

    add = action("add", "新增订阅", cmd_add)
    add.add_argument("name", metavar="NAME")
    add.add_argument("--scope", required=True, help="范围：县（区）、市、组代码，或乡镇的9位代码")
    add.add_argument("--daily", metavar="HH:MM", help="每天此时（北京时间）")
    add.add_argument("--weekly", metavar="MON", help="每周这一天（MON TUE WED THU FRI SAT SUN），配 --at")
    add.add_argument("--monthly", metavar="N", help="每月第 N 天（该月没有这一天时在月末），配 --at")
    add.add_argument("--at", metavar="HH:MM", help="--weekly、--monthly 的时间（北京时间）")
    add.add_argument("--lang", choices=("zh", "en"), default="zh", help="语言（默认中文）")
    add.add_argument("--only-attention", action="store_true",
                     help="预警订阅：只在需要关注的问题有新的一项时发送，并列出新增的项")
    add.add_argument("--for", dest="for_user", metavar="USER",
                     help="订阅所属账号：范围不能超出它的范围，账号停用后不再发送")
    add.add_argument("--as-of", help="固定的截至日期 YYYY-MM-DD（默认当前快照的数据日期）")
    add.add_argument("--wecom", action=ChannelAction, metavar="URL", help="企业微信群机器人 webhook 地址（- 从标准输入读）")
    add.add_argument("--dingtalk", action=ChannelAction, metavar="URL", help="钉钉群机器人 webhook 地址（- 从标准输入读）")
    add.add_argument("--dingtalk-secret", action=ChannelAction, metavar="S", help="前一个钉钉机器人的加签密钥（SEC…）")
    add.add_argument("--mail", action=ChannelAction, metavar="ADDRESS", help="收件人邮箱（可多次）")
    action("list", "列出订阅（密钥只显示后4位）", cmd_list)
    action("remove", "删除订阅及其渠道的密钥", cmd_remove).add_argument("name", metavar="NAME")
    test = action("test", "立即发送一份标明【测试】的简报", cmd_test)
    test.add_argument("name", metavar="NAME")
    test.add_argument("--channel", metavar="ID", help="只发到这个渠道（默认全部）")

    push = sub.add_parser("push", help="推送到时间的订阅（每分钟由 systemd 定时器或 cron 调用），或立即推送一个")
    push.add_argument("--data", type=Path, default=argparse.SUPPRESS)
    add_as(push)
    which = push.add_mutually_exclusive_group(required=True)
    which.add_argument("--due", action="store_true", help="发送所有到时间且本时段尚未发送的订阅")
    which.add_argument("--now", metavar="NAME", help="立即发送这个订阅")
    push.set_defaults(func=cmd_push)
