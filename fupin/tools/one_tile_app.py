"""`firstvisit`'s floor: a Streamlit page of one KPI tile and nothing else (no data, no sidebar, no chart)."""

import streamlit as st

st.metric("采购金额（万元）", "4154.6")
