"""The buttons that change data pass the name of who clicked, and the change re-checks it as it is made
(fupin.auth.acting); a refusal found before the page is drawn is said at the top of the page drawn next."""

from collections.abc import Callable

import streamlit as st

from .. import settings
from ..auth.acting import NotAllowed, Who, authorize
from ..auth.permissions import User
from . import signin

REFUSED_KEY = "acting_refused"   # why the change a button asked for was refused, said once
ARMED_KEY = "acting_armed"       # the button whose change its callback allowed, for the page to make


def who(name: str, scope: str | None) -> Who:
    """Who clicked: the name (and the scope the page was drawn for) the button passed, with this session's sign-on
    claims and client as they are now."""
    return Who(name, scope, signin.sso_claims(), signin.client())


def recheck(name: str, scope: str | None, change: str, **details) -> Callable[[], User]:
    """The check an operation runs under its lock just before it writes: `fupin.auth.acting.authorize`."""
    asking, data_dir = who(name, scope), settings.data_dir()
    return lambda: authorize(data_dir, asking, change, **details)


def refused(error: NotAllowed) -> None:
    """Keep a refusal found in a callback (before the page is drawn) for the top of the page."""
    st.session_state[REFUSED_KEY] = error.reason


def show_refused(container, lang: str) -> None:
    """Say, once, why the change a button asked for was not made."""
    reason = st.session_state.pop(REFUSED_KEY, None)
    if reason:
        container.error(NotAllowed(reason).sentence(lang), icon=":material/block:")


def arm(key: str, name: str, scope: str | None, change: str, **details) -> None:
    """Callback of a button whose change the page makes as it is drawn (under a progress bar): who clicked is
    checked now, before the frame reads the account again, so that a refusal is said and recorded even when the
    session then ends; an allowed click is kept for `armed`. The change itself checks again under its lock."""
    st.session_state.pop(ARMED_KEY, None)
    try:
        recheck(name, scope, change, **details)()
    except NotAllowed as error:
        refused(error)
    else:
        st.session_state[ARMED_KEY] = key


def armed(key: str) -> bool:
    """Whether the click on button `key` was allowed by its callback (true once per click)."""
    if st.session_state.get(ARMED_KEY) != key:
        return False
    del st.session_state[ARMED_KEY]
    return True


def say(error: NotAllowed, lang: str) -> None:
    """Say a refusal found while the page is drawn, where the button is."""
    st.error(error.sentence(lang), icon=":material/block:")
