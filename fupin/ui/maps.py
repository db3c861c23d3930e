"""The map on a page: metric choice, the counties of a scope or the townships of a county, and a click that drills
into the county or township."""

import pandas as pd
import streamlit as st

from .. import charts, county_map, fmt, reference
from ..geo import (BoundaryError, boundary_versions, load_boundaries, parse_upload, remove_custom, restore_version,
                   save_custom)
from ..headline import targets_apply
from ..kpi import schedule_share
from .. import settings
from ..metrics import metric as registered
from .frame import View
from ..views import Overview
from .sidebar import select_county, select_township
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


def metric_choice(view: View) -> str:
    """The map metric selector (kept in the URL as `metric`): % of target first when targets apply."""
    options = [m for m in MAP_METRICS if m != "pct_of_target" or targets_apply(view.filter)]
    return choice(view, "metric", options, "map_metric", lambda m: view.t(MAP_METRICS[m][0]))


def _panels(view: View, data: Overview) -> tuple[list, str]:
    """The map's panels and the note under it: county outlines for a scope of several counties, else the
    county's township areas (schematic, or the user's own)."""
    if data.area_level == "county":
        return county_map.panels(reference.counties(view.filter.counties)), view.t("map_county_outlines")
    areas = boundaries()
    return [("", areas)], view.t("map_schematic" if areas.schematic else "map_custom")


def map_figure(view: View, data: Overview, metric: str):
    """The map of `metric` for this view, and the data it shows (for its CSV)."""
    label_key, column, unit_metric = MAP_METRICS[metric]
    code, name = f"{data.area_level}_code", f"{data.area_level}_name"
    frame = data.areas
    midpoint, value_scale, title = None, 1.0, view.t(label_key)
    if unit_metric is None:
        texts = frame[column].map(fmt.pct)
        midpoint = schedule_share(view.filter.as_of) * 100
    else:
        texts = frame[column].map(lambda v: registered(unit_metric).text(v, view.lang))
        if unit_metric.endswith(("_yuan", "_kg")):
            value_scale = charts.WAN
            title = fmt.titled(title, fmt.unit_of(unit_metric, view.lang), view.lang)
    panels, note = _panels(view, data)
    selected = view.filter.township if data.area_level == "township" else None
    fig = charts.area_map(frame, panels, code, name, column, texts, title, note, selected=selected,
                          midpoint=midpoint, value_scale=value_scale)
    return fig, frame[[code, name, column]]


def area_map(view: View, data: Overview, metric: str) -> pd.DataFrame:
    """Draw the clickable map of `metric`: a click drills into the county or township. Returns the map's data."""
    fig, frame = map_figure(view, data, metric)
    key = f"map_{'_'.join(view.filter.counties)}_{view.filter.township or 'all'}_{metric}"
    select = select_county if data.area_level == "county" else select_township
    st.plotly_chart(fig, key=key, on_select=on_pick(key, select), selection_mode="points",
                    config={"displayModeBar": False})
    st.caption(view.t(f"map_click_hint_{data.area_level}"))
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
            towns = view.db.run("township_options", year=view.filter.as_of.year, counties=list(view.filter.counties))
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
