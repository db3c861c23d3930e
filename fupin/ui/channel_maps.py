"""The 产品与渠道 page's map of outlets: points over the township areas of a county (as the area map draws them) or the
county outlines of a scope of several; a click on a point opens that outlet."""

import pandas as pd
import streamlit as st

from ..report import county_map
from ..report.channel_charts import outlet_map
from ..store import reference
from .frame import View
from .maps import boundaries
from .widgets import on_pick


def select_outlet(code: str | None) -> None:
    """Drill to an outlet (None: back to all of them)."""
    st.session_state["outlet"] = code


def draw(view: View, points: pd.DataFrame) -> pd.DataFrame:
    """Draw the offline outlets in service on the map and return the rows it shows."""
    shown = points[~points["online"] & points["lng"].notna()].reset_index(drop=True)
    counties = view.filter.counties
    if len(counties) > 1:
        panels, column = county_map.panels(reference.counties(counties)), "county_code"
    else:
        panels, column = [("", boundaries(counties[0]))], "township_code"
    key = f"outlet_map_{'_'.join(counties)}_{view.filter.township or 'all'}"
    st.plotly_chart(outlet_map(shown, panels, column, view.t("outlets_map"), view.lang), key=key,
                    on_select=on_pick(key, select_outlet), selection_mode="points", config={"displayModeBar": False})
    st.caption(view.t("outlets_map_note"))
    return shown[["outlet_id", "outlet_name", "kind", "smart", "township_name", "located", "lng", "lat"]]
