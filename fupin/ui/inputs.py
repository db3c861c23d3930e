"""Choice widgets whose option labels follow the language.

Streamlit sends a selectbox's or segmented control's value as its label, so a widget whose labels change with the
language would come back with a stale label after a switch. Each such widget therefore lives under a key of its
language (`township.en`), and the chosen value itself under the plain name (`township`), which is also its query
parameter: the widget is seeded from the value on every run, and writes it back when the user changes it.
"""

from collections.abc import Callable, Sequence

import streamlit as st


def widget_key(name: str, lang: str) -> str:
    """The key of the widget that shows value `name` in language `lang`."""
    return f"{name}.{lang}"


def _copier(name: str, key: str, then: Callable[[], None] | None) -> Callable[[], None]:
    def changed() -> None:
        st.session_state[name] = st.session_state[key]
        if then:
            then()
    return changed


def select(box, name: str, label: str, options: Sequence, lang: str, format_func: Callable,
           placeholder: str | None = None, on_change: Callable[[], None] | None = None):
    """A selectbox for value `name` (its current value must be one of `options`)."""
    key = widget_key(name, lang)
    st.session_state[key] = st.session_state.get(name)
    st.session_state[name] = box.selectbox(label, options, key=key, format_func=format_func, placeholder=placeholder,
                                           on_change=_copier(name, key, on_change))
    return st.session_state[name]


def segmented(box, name: str, label: str, options: Sequence, lang: str, format_func: Callable):
    """A segmented control for value `name` that always has one option chosen; options that do not fit on one row
    wrap onto the next, never hidden past the edge."""
    key = widget_key(name, lang)
    st.session_state[key] = st.session_state.get(name)
    st.session_state[name] = box.segmented_control(label, options, key=key, required=True, format_func=format_func,
                                                   on_change=_copier(name, key, None), wrap=True)
    return st.session_state[name]
