"""The Streamlit side: sidebar filters kept in the URL, cached data access and shared widgets.

This is the only part of `fupin` that imports Streamlit; pages use it, the engine never does.
"""
