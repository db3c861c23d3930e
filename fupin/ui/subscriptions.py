"""订阅与推送 on the import page: the subscriptions a clerk's scope covers (all for an admin), the delivery log (last
100, failures first), and 发送测试, which sends the brief marked 【测试】 to one channel now."""

import logging

import pandas as pd
import streamlit as st

from .. import settings
from ..auth.acting import NotAllowed
from ..auth.files import StateFileError
from ..auth.permissions import allowed
from ..push import deliveries, subscriptions
from ..push.place import within
from ..push.runner import Runner
from ..push.subscriptions import Subscription, SubscriptionError
from ..query import scope
from ..store.snapshot import SnapshotError
from ..text.fmt import ABSENT
from ..text.i18n import t
from . import acting
from .frame import View

log = logging.getLogger(__name__)


def visible(view: View, subs: list[Subscription]) -> list[Subscription]:
    """The subscriptions whose place lies within the user's scope (every one for an admin or in demo mode)."""
    user = view.user
    if user.demo or user.role == "admin":
        return subs
    scopes = scope.scopes(view.db)
    rights = allowed(user, scopes)
    return [s for s in subs if within(rights, s.scope, scopes)]


def _table(subs: list[Subscription], lang: str) -> pd.DataFrame:
    last = deliveries.latest(deliveries.entries(settings.data_dir()))
    rows = [{
        t("subs_name", lang): s.name, t("scope", lang): f"{s.scope_name}（{s.scope}）",
        t("subs_schedule", lang): s.schedule.describe(lang), t("language", lang): s.lang,
        t("subs_kind", lang): t("subs_kind_alert" if s.only_attention else "subs_kind_scheduled", lang),
        t("delivery_channel", lang): "、".join(c.label(lang) for c in s.channels),
        t("subs_account", lang): s.for_user or "",
        t("subs_last", lang): deliveries.summary(last.get(s.name), lang),
    } for s in subs]
    return pd.DataFrame(rows)


def section(view: View) -> None:
    """The subscriptions, their delivery log and 发送测试."""
    lang = view.lang
    st.subheader(t("subs_title", lang))
    st.caption(t("subs_intro", lang))
    try:
        subs = visible(view, subscriptions.load(settings.data_dir()))
    except StateFileError as e:
        st.error(t("subs_file_error", lang, error=str(e)))
        return
    if not subs:
        st.info(t("subs_none", lang))
        return
    st.dataframe(_table(subs, lang), hide_index=True, placeholder=ABSENT, key="subs_table")
    st.caption(t("subs_log", lang))
    st.dataframe(deliveries.frame(settings.data_dir(), {s.name for s in subs}, lang), hide_index=True,
                 placeholder=ABSENT, key="subs_deliveries")
    if view.may("push_test"):
        send_test(view, subs)


def send_test(view: View, subs: list[Subscription]) -> None:
    """Choose a subscription and one of its channels; the button's click is checked (who, as the account is now)
    before the brief is built and sent, and again under the subscription's lock."""
    lang, user = view.lang, view.user
    names = {s.name: s for s in subs}
    left, right = st.columns(2)
    chosen = names[left.selectbox(t("delivery_subscription", lang), list(names), key="push_test_name")]
    channels = {c.id: c for c in chosen.channels}
    channel = channels[right.selectbox(t("delivery_channel", lang), list(channels), key="push_test_channel",
                                       format_func=lambda cid: channels[cid].label(lang))]
    clicked = st.button(t("push_test_button", lang), key="push_test", icon=":material/send:",
                        on_click=acting.arm, args=("push_test", user.name, user.scope, "push_test"),
                        kwargs={"subscription": chosen.name})
    if not (clicked and acting.armed("push_test")):
        return
    try:
        with st.spinner(t("push_test_sending", lang)), Runner(settings.data_dir()) as runner:
            outcomes = runner.send_test(chosen.name, user.name, "web", channel.id,
                                        recheck=acting.recheck(user.name, user.scope, "push_test",
                                                               subscription=chosen.name))
    except NotAllowed as refused:
        acting.say(refused, lang)
        return
    except (SubscriptionError, SnapshotError, OSError) as e:
        log.exception("test push failed")
        st.error(t("push_test_error", lang, error=str(e).splitlines()[0][:200]))
        return
    for outcome in outcomes:
        if outcome.outcome == "sent":
            st.success(t("push_test_sent", lang, channel=outcome.channel.label(lang)))
        else:
            where = outcome.channel.label(lang) if outcome.channel else chosen.name
            st.error(t("push_test_failed", lang, channel=where, message=outcome.message))
