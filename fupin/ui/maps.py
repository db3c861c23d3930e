"""The township map on a page: metric choice, drawing, and a click that drills into the township."""

import pandas as pd
import streamlit as st

from .. import charts, fmt
from ..geo import BoundaryError, load_boundaries, parse_collection, remove_custom, save_custom
from ..headline import targets_apply
from ..kpi import schedule_share
from .. import settings
from ..metrics import metric as registered
from .frame import View
from .sidebar import select_township
from .widgets import choice, on_pick

# Map metric -> (label key, column of the township summary, registered metric that formats its values);
# the first that applies is the default: leaders ask "who is behind".
MAP_METRICS = {
    "pct_of_target": ("pct_of_target", "pct_of_target", None),
    "purchase_amount_yuan": ("purchase_amount", "amount_yuan", "purchase_amount_yuan"),
    "poor_village_amount_yuan": ("poor_village_amount", "poor_village_amount_yuan", "poor_village_amount_yuan"),
    "purchase_weight_kg": ("purchase_weight", "weight_kg", "purchase_weight_kg"),
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
    """The map metric selector (kept in the URL as `metric`): % of target first when targets apply."""
    options = [m for m in MAP_METRICS if m != "pct_of_target" or targets_apply(view.filter)]
    return choice(view, "metric", options, "map_metric", lambda m: view.t(MAP_METRICS[m][0]))


def map_figure(view: View, summary: pd.DataFrame, metric: str):
    """The map of `metric` for this view, and the data it shows (for its CSV)."""
    label_key, column, unit_metric = MAP_METRICS[metric]
    frame = with_pct_of_target(summary)
    midpoint, value_scale, title = None, 1.0, view.t(label_key)
    if unit_metric is None:
        texts = frame[column].map(fmt.pct)
        midpoint = schedule_share(view.filter.as_of) * 100
    else:
        texts = frame[column].map(lambda v: registered(unit_metric).text(v, view.lang))
        if unit_metric.endswith(("_yuan", "_kg")):
            value_scale = charts.WAN
            title = fmt.titled(title, fmt.unit_of(unit_metric, view.lang), view.lang)
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
    """Let a user put their own township GeoJSON (keyed by township code) in place of the schematic areas."""
    with st.expander(view.t("boundaries_upload")):
        upload = st.file_uploader("GeoJSON", type=["geojson", "json"], key="boundaries_file")
        if upload is not None and st.button(view.t("boundaries_apply"), key="boundaries_apply"):
            known = set(view.db.run("township_options", year=view.filter.as_of.year)["township_code"])
            try:
                save_custom(settings.data_dir(), parse_collection(upload.getvalue(), known))
            except BoundaryError as error:
                st.error(f"{view.t('boundaries_refused')}：{error}")
            else:
                st.session_state["boundaries_saved"] = True
                st.rerun()   # redraw the map above with the new areas
        if st.session_state.pop("boundaries_saved", False):
            st.success(view.t("boundaries_saved"))
        if not boundaries().schematic and st.button(view.t("boundaries_reset"), key="boundaries_reset"):
            remove_custom(settings.data_dir())
            st.rerun()
