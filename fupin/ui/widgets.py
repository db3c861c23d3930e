"""Widgets every page shares: KPI tiles, CSV downloads, the breadcrumb, tables and the empty-result message."""

from collections.abc import Callable, Iterable

import pandas as pd
import streamlit as st

from .. import fmt
from ..export import csv_bytes, csv_file, file_name, readable
from ..kpi import TargetProgress
from ..schema import COUNTY_NAME
from .state import View, select_township, select_village


def metric_text(metric: str, value: float | None, lang: str) -> str:
    """A KPI value in its unit: 万元 for money, 万公斤 for weight, 批次 or 户 for counts."""
    if metric.endswith("_yuan"):
        return fmt.money(value, lang=lang)
    if metric.endswith("_kg"):
        return fmt.weight(value, lang=lang)
    unit = "户" if "cooperative" in metric else "批次"
    return fmt.count(value, unit, lang=lang)


def kpi_tile(view: View, label: str, metric: str, value: float, progress: TargetProgress | None = None,
             yoy_pct: float | None = None, note: str | None = None, key: str | None = None) -> None:
    """One bordered tile: the value, ahead/behind schedule in points (green ahead, red behind), target and YoY."""
    with st.container(border=True, key=key):
        delta = None
        if progress is not None and progress.ahead_pp is not None:
            delta = fmt.signed_pp(progress.ahead_pp, view.lang)
        st.metric(label, metric_text(metric, value, view.lang), delta=delta, delta_color="normal",
                  delta_description=view.t("vs_schedule") if delta else None)
        parts = []
        if progress is not None:
            parts.append(f"{view.t('target')} {metric_text(metric, progress.target, view.lang)}")
            parts.append(f"{view.t('done')} {fmt.pct(progress.pct_done)}")
            parts.append(f"{view.t('schedule_pct')} {fmt.pct(progress.schedule_pct)}")
        if yoy_pct is not None:
            parts.append(f"{view.t('yoy')} {yoy_pct:+.1f}%")
        if note:
            parts.append(note)
        st.caption(" · ".join(parts) if parts else "\u00a0")


def download(view: View, frame: pd.DataFrame | Callable[[], Iterable[pd.DataFrame]], what: str, key: str) -> None:
    """A CSV download of exactly the rows shown, or, given a function yielding chunks, of all rows of the
    filter, written on click into a temporary file."""
    flt = view.filter
    name = file_name(what, view.scope_names, flt.date_from, flt.date_to)
    if callable(frame):
        def data() -> bytes:   # built only when clicked; Streamlit serves the download from bytes
            with csv_file(frame(), view.lang) as csv:
                return csv.read()
    else:
        data = csv_bytes(readable(frame, view.lang))
    st.download_button(view.t("download_csv"), data=data, file_name=name, mime="text/csv", key=key,
                       icon=":material/download:", on_click="ignore")


def table(view: View, frame: pd.DataFrame, key: str, height: int | str = "auto") -> None:
    """A table with readable headers and labels."""
    shown = readable(frame, view.lang)
    numbers = {name: st.column_config.NumberColumn(format="localized") for name in shown.columns
               if pd.api.types.is_float_dtype(shown[name])}
    st.dataframe(shown, hide_index=True, key=key, height=height, column_config=numbers)


def empty_message(view: View) -> None:
    """The plain message shown instead of a chart or table without rows."""
    st.info(view.t("no_data"), icon=":material/info:")


def page_header(view: View, page_key: str, note_key: str | None = None, levels: int = 2) -> None:
    """Title (scope and page), the dates and what the page's data is filtered by, then the breadcrumb.

    `levels` is how deep the page's data goes: 1 when it is filtered by township but not by village.
    """
    st.title(f"{' · '.join(view.scope_names[:levels])} {view.t(page_key)}")
    dates = f"{view.filter.date_from.isoformat()} — {view.filter.date_to.isoformat()}"
    st.caption(f"{dates} · {view.t(note_key)}" if note_key else dates)
    breadcrumb(view)


def breadcrumb(view: View) -> None:
    """County › township › village, each level a button that goes back up to it."""
    county = COUNTY_NAME if view.lang == "zh" else "Yuanqu County"
    levels = [(county, select_township)]
    if view.township_name:
        levels.append((view.township_name, select_village))
    if view.village_name:
        levels.append((view.village_name, None))
    columns = st.columns([1] * len(levels) + [max(1, 8 - len(levels))], vertical_alignment="center")
    for i, (name, go_up) in enumerate(levels):
        with columns[i]:
            last = i == len(levels) - 1
            st.button(("› " if i else "") + name, key=f"crumb_{i}", disabled=last, on_click=go_up, args=(None,),
                      type="tertiary")
