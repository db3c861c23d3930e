"""The township map on a page: metric choice, drawing, and a click that drills into the township."""

import pandas as pd
import streamlit as st

from .. import charts, fmt
from ..geo import (BoundaryError, boundary_versions, load_boundaries, parse_upload, remove_custom, restore_version,
                   save_custom)
from ..headline import targets_apply
from ..kpi import schedule_share
from .. import settings
from .state import View, on_pick, page_param, select_township
from .widgets import metric_text

# Map metric -> (label key, column of the township summary, metric used to format its values)
MAP_METRICS = {
    "purchase_amount_yuan": ("purchase_amount", "amount_yuan", "purchase_amount_yuan"),
    "poor_village_amount_yuan": ("poor_village_amount", "poor_village_amount_yuan", "poor_village_amount_yuan"),
    "purchase_weight_kg": ("purchase_weight", "weight_kg", "purchase_weight_kg"),
    "pct_of_target": ("pct_of_target", "pct_of_target", None),
    "lab_batches": ("lab_batches", "lab_batches", "lab_batches"),
    "cooperatives_total": ("cooperatives_total", "cooperatives_total", "cooperatives_total"),
}


@st.cache_resource(show_spinner=False, max_entries=4)
def _boundaries(data_dir: str, stamp: float):
    return load_boundaries(data_dir)


def boundaries():
    """The township areas in use (re-read when the user's own file changes)."""
    custom = settings.data_dir() / "townships_custom.geojson"
    return _boundaries(str(settings.data_dir()), custom.stat().st_mtime if custom.exists() else 0.0)


def with_pct_of_target(summary: pd.DataFrame) -> pd.DataFrame:
    """Purchase amount as a percentage of each township's yearly target."""
    target = summary["target_purchase_amount_yuan"]
    return summary.assign(pct_of_target=(summary["amount_yuan"] / target.where(target > 0) * 100))


def metric_choice(view: View) -> str:
    """The map metric selector (kept in the URL as `metric`)."""
    options = [m for m in MAP_METRICS if m != "pct_of_target" or targets_apply(view.filter)]
    page_param("metric", "purchase_amount_yuan", lambda text: text if text in options else None)
    if st.session_state.get("w_metric") not in options:
        st.session_state["w_metric"] = "purchase_amount_yuan"
    return st.segmented_control(view.t("map_metric"), options, key="w_metric", required=True,
                                format_func=lambda m: view.t(MAP_METRICS[m][0]))


def map_figure(view: View, summary: pd.DataFrame, metric: str):
    """The map of `metric` for this view, and the data it shows (for its CSV)."""
    label_key, column, unit_metric = MAP_METRICS[metric]
    frame = with_pct_of_target(summary)
    midpoint, value_scale, title = None, 1.0, view.t(label_key)
    if unit_metric is None:
        texts = frame[column].map(fmt.pct)
        midpoint = schedule_share(view.filter.as_of) * 100
    else:
        texts = frame[column].map(lambda v: metric_text(unit_metric, v, view.lang))
        if unit_metric.endswith(("_yuan", "_kg")):
            value_scale = charts.WAN
            unit = ("万元" if unit_metric.endswith("_yuan") else "万公斤") if view.lang == "zh" else "10k"
            title = f"{title}（{unit}）" if view.lang == "zh" else f"{title} ({unit})"
    fig = charts.township_map(frame, boundaries(), column, texts, title, selected=view.filter.township,
                              midpoint=midpoint, value_scale=value_scale, lang=view.lang)
    return fig, frame[["township_code", "township_name", column]]


def township_map(view: View, summary: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Draw the clickable map of `metric`: a click drills into the township. Returns the map's data."""
    fig, frame = map_figure(view, summary, metric)
    key = f"map_{view.filter.township or 'county'}_{metric}"
    st.plotly_chart(fig, key=key, on_select=on_pick(key, select_township), selection_mode="points",
                    config={"displayModeBar": False})
    st.caption(view.t("map_click_hint"))
    return frame


def boundary_upload(view: View) -> None:
    """Let a user put their own township GeoJSON (keyed by township code) in place of the schematic areas, go back
    to the schematic areas, or restore boundaries used before; what is wrong with the areas in use is said above."""
    from ..ledger.history import beijing_time

    data_dir = settings.data_dir()
    for notice in boundaries().notices:
        st.warning(notice)
    with st.expander(view.t("boundaries_upload")):
        upload = st.file_uploader("GeoJSON", type=["geojson", "json"], key="boundaries_file")
        if upload is not None and st.button(view.t("boundaries_apply"), key="boundaries_apply"):
            towns = view.db.run("township_options", year=view.filter.as_of.year)
            try:
                checked = parse_upload(upload.getvalue(), dict(zip(towns["township_code"], towns["township_name"])))
                save_custom(data_dir, checked.shapes, source_name=upload.name)
            except BoundaryError as error:
                st.error(f"{view.t('boundaries_refused')}：{error}")
            except OSError:
                st.error(view.t("boundaries_write_failed"))
            else:
                st.session_state["boundaries_saved_notes"] = list(checked.notes)
                st.rerun()   # redraw the map above with the new areas
        notes = st.session_state.pop("boundaries_saved_notes", None)
        if notes is not None:
            st.success(view.t("boundaries_saved"))
            for note in notes:
                st.info(note)
        if not boundaries().schematic and st.button(view.t("boundaries_reset"), key="boundaries_reset"):
            remove_custom(data_dir)
            st.rerun()
        versions = {v.id: v for v in boundary_versions(data_dir)}
        if versions:
            chosen = st.selectbox(
                view.t("boundaries_versions"), list(versions), key="boundaries_version",
                format_func=lambda i: view.t("boundaries_version_label", saved=beijing_time(versions[i].saved_at),
                                             name=versions[i].source_name or "—", n=versions[i].townships)
                + (view.t("boundaries_in_use") if versions[i].active else ""))
            if st.button(view.t("boundaries_restore"), key="boundaries_restore", disabled=versions[chosen].active):
                try:
                    restore_version(data_dir, chosen)
                except BoundaryError as error:
                    st.error(f"{view.t('boundaries_refused')}：{error}")
                except OSError:
                    st.error(view.t("boundaries_write_failed"))
                else:
                    st.rerun()
