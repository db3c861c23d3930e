"""The map on a page: metric choice, the counties of a scope or the townships of a county, and a click that drills
into the county or township."""

import hashlib
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from .. import settings
from ..auth import audit
from ..auth.acting import NotAllowed
from ..query.filters import Filter
from ..report import charts, labels
from ..report.geo import (
    BoundaryError,
    boundary_versions,
    custom_path,
    load_boundaries,
    parse_upload,
    remove_custom,
    restore_version,
    save_custom,
)
from ..report.headline import targets_apply
from ..report.mapping import AREA_METRICS, MAP_METRICS, AreaFigures, area_figure
from . import acting
from .frame import View
from .sidebar import select_county, select_township
from .widgets import choice, on_pick

# Map figures kept for reuse (the same view opened again, by anyone): about a third of a page run to build.
MAP_FIGURES = 16


@st.cache_resource(show_spinner=False, max_entries=16)
def _boundaries(data_dir: str, county: str, stamp: float):
    return load_boundaries(data_dir, county)


def boundaries(county: str):
    """A county's township areas in use (re-read when the user's own file changes)."""
    return _boundaries(*_boundaries_key(county))


def _boundaries_key(county: str) -> tuple[str, str, float]:
    """What a county's boundaries in use are read from: the data folder, the county, the user's file's mtime."""
    custom = custom_path(settings.data_dir(), county)
    return str(settings.data_dir()), county, custom.stat().st_mtime if custom.exists() else 0.0


def metric_choice(view: View) -> str:
    """The map metric selector (kept in the URL as `metric`): % of target first when targets apply."""
    options = [m for m in MAP_METRICS if m != "pct_of_target" or targets_apply(view.filter)]
    return choice(view, "metric", options, "map_metric", lambda m: view.t(MAP_METRICS[m][0]))


@dataclass(frozen=True)
class _Shown:
    """The areas a map shows (the columns it reads) and their level, as fupin.report.mapping takes them."""

    areas: pd.DataFrame
    area_level: str


@st.cache_resource(show_spinner=False, max_entries=MAP_FIGURES)
def _map_figure(shown: tuple, area_level: str, flt: Filter, metric: str, lang: str, drawn_with: tuple, _areas,
                _drawn):
    """The map, cached on the hashed arguments; `_areas` (the rows `shown` spells out) and `_drawn` (the boundaries
    `drawn_with` names) are not hashed."""
    return area_figure(_Shown(_areas, area_level), flt, metric, lang, _drawn)


def map_figure(view: View, data: AreaFigures, metric: str):
    """The map of `metric` for this view, the rows it shows and what it has to say (fupin.report.mapping); built once per
    areas' codes, names and values, filter, metric, language and boundaries in use, and shared read-only by every
    session."""
    level, column = data.area_level, AREA_METRICS[metric][1]
    areas = data.areas[[f"{level}_code", f"{level}_name", column]]
    shown = tuple(tuple(areas[c].tolist()) for c in areas.columns)   # the key: cheap to hash, unlike the frame
    drawn_with = _boundaries_key(view.filter.counties[0]) if level == "township" else ()
    drawn = _boundaries(*drawn_with) if drawn_with else None
    fig, frame, notices = _map_figure(shown, level, view.filter, metric, view.lang, drawn_with, areas, drawn)
    return fig, frame.copy(), list(notices)


def map_chart(fig, key: str, **options) -> None:
    """A map in a container of its own whose wide-only labels a narrow screen hides (fupin.report.labels)."""
    with st.container(key=f"box_{key}"):
        st.plotly_chart(fig, key=key, **options)
        css = labels.bands_css(f"st-key-box_{key}", fig, charts.MAP_WIDE_FROM_PX)
        if css:
            st.html(f"<style>{css}</style>")


def area_map(view: View, data: AreaFigures, metric: str) -> pd.DataFrame:
    """Draw the clickable map of `metric`: a click drills into the county or township; under it what its outlines
    are and what it cannot show. Returns the map's data."""
    fig, frame, notices = map_figure(view, data, metric)
    key = f"map_{'_'.join(view.filter.counties)}_{view.filter.township or 'all'}_{metric}"
    select = select_county if data.area_level == "county" else select_township
    map_chart(fig, key, on_select=on_pick(key, select), selection_mode="points", config={"displayModeBar": False})
    st.caption(view.t(f"map_click_hint_{data.area_level}"))
    for notice in notices:
        st.caption(notice)
    return frame


def boundary_upload(view: View) -> None:
    """Let a user put their own township GeoJSON (keyed by township code) in place of the schematic areas, go back
    to the schematic areas, or restore boundaries used before; what is wrong with the areas in use is said above.
    Each button passes who clicked, checked again under the boundary lock before anything is written."""
    from ..ledger.history import beijing_time

    data_dir, county, user = settings.data_dir(), view.filter.counties[0], view.user
    for notice in boundaries(county).notices:
        st.warning(notice)
    if not view.may("upload_boundaries"):
        return

    def button(label_key: str, key: str, change: str, **options) -> bool:
        """A button whose click makes `change` when who clicked may make it now (fupin.ui.acting)."""
        return st.button(view.t(label_key), key=key, on_click=acting.arm, args=(key, user.name, user.scope, change),
                         kwargs={"county": county}, **options) and acting.armed(key)

    def recheck(change: str, **details):
        return acting.recheck(user.name, user.scope, change, county=county, **details)

    with st.expander(view.t("boundaries_upload")):
        upload = st.file_uploader("GeoJSON", type=["geojson", "json"], key="boundaries_file")
        if upload is not None and button("boundaries_apply", "boundaries_apply", "boundary_upload"):
            towns = view.db.run("township_options", year=view.filter.as_of.year, counties=list(view.filter.counties))
            try:
                checked = parse_upload(upload.getvalue(), dict(zip(towns["township_code"], towns["township_name"])),
                                       county)
                saved = save_custom(data_dir, county, checked.shapes, source_name=upload.name,
                                    recheck=recheck("boundary_upload", files=[upload.name]))
                audit.record(data_dir, user.name, "boundary_upload", files=[upload.name],
                             sha256=hashlib.sha256(upload.getvalue()).hexdigest(), county=county, path=saved.name)
            except BoundaryError as error:
                st.error(f"{view.t('boundaries_refused')}：{error}")
            except NotAllowed as refused:
                acting.say(refused, view.lang)
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
        if not boundaries(county).schematic and button("boundaries_reset", "boundaries_reset", "boundary_remove"):
            try:
                remove_custom(data_dir, county, recheck=recheck("boundary_remove"))
                audit.record(data_dir, user.name, "boundary_remove", county=county)
            except NotAllowed as refused:
                acting.say(refused, view.lang)
            else:
                st.rerun()
        versions = {v.id: v for v in boundary_versions(data_dir, county)}
        if versions:
            chosen = st.selectbox(
                view.t("boundaries_versions"), list(versions), key="boundaries_version",
                format_func=lambda i: view.t("boundaries_version_label", saved=beijing_time(versions[i].saved_at),
                                             name=versions[i].source_name or "—", n=versions[i].townships)
                + (view.t("boundaries_in_use") if versions[i].active else ""))
            if button("boundaries_restore", "boundaries_restore", "boundary_restore",
                      disabled=versions[chosen].active):
                try:
                    restore_version(data_dir, county, chosen, recheck=recheck("boundary_restore", version=chosen))
                    audit.record(data_dir, user.name, "boundary_restore", county=county, version=chosen)
                except BoundaryError as error:
                    st.error(f"{view.t('boundaries_refused')}：{error}")
                except NotAllowed as refused:
                    acting.say(refused, view.lang)
                except OSError:
                    st.error(view.t("boundaries_write_failed"))
                else:
                    st.rerun()
