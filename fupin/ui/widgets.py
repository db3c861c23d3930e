"""Widgets every page shares: KPI tiles, CSV downloads, the title and breadcrumb, tables, page choices."""

from collections.abc import Callable, Iterable, Sequence
from html import escape

import pandas as pd
import streamlit as st

from .. import settings
from ..auth import grants
from ..report import exports
from ..report.attention import Attention
from ..report.export_xlsx import XLSX_MIME, filters_note, xlsx_file, xlsx_name
from ..report.tiles import Tile
from ..text.export import csv_file, file_name
from ..text.fmt import ABSENT
from ..text.tables import on_screen
from . import inputs, links, sidebar, signin
from .frame import View, page_at
from .sidebar import select_county, select_township, select_village
from .url_values import page_number

TREND_COLOURS = {"up": "green", "down": "red"}


def tile(view: View, shown: Tile) -> None:
    """One bordered tile: the unit in its heading and the bare number, so that 1366 px laptops show it whole;
    ahead/behind schedule in points (green ahead, red behind), its caption."""
    with st.container(border=True, key=f"tile_{shown.key}"):
        st.metric(shown.heading, shown.number, delta=shown.delta, delta_arrow=shown.trend or "off",
                  delta_color=TREND_COLOURS.get(shown.trend, "gray"))
        st.caption(shown.caption or "\u00a0")


def tile_rows(view: View, tiles: Sequence[Tile], per_row: int = 3) -> None:
    """Tiles in rows of `per_row`."""
    for start in range(0, len(tiles), per_row):
        for column, shown in zip(st.columns(per_row), tiles[start:start + per_row]):
            with column:
                tile(view, shown)


ATTENTION_HEIGHT = 430   # px: as tall as the two rows of tiles beside it; a longer list scrolls inside


def attention(view: View, found: Attention, unsold_warnings: int | None = None) -> None:
    """The 需关注 list beside the tiles, as tall as they are (a longer list scrolls): one short line per item,
    each a link to the view that shows it, followed in this session (the sign-in and the language kept); with
    `unsold_warnings`, the link to the 预警 page under its title."""
    with st.container(border=True, height=ATTENTION_HEIGHT, key="attention"):
        st.markdown(f"**{view.t('attention_title')}**")
        if unsold_warnings is not None:
            warnings_link(view, unsold_warnings)
        if not found.items:
            st.caption(view.t("attention_none"))
        for i, ((_, items), text) in enumerate(zip(found.lines, found.texts(view.lang))):
            st.button(text, key=f"attention_{i}", type="tertiary", wrap=True, width="stretch",
                      icon=":material/arrow_forward:", on_click=links.follow, args=(items[0].link,))
        for note in found.notes(view.lang):
            st.caption(note)


def warnings_link(view: View, count: int) -> None:
    """“滞销预警 N”: opens the 预警 page, whose filters are this page's (the sidebar keeps them)."""
    st.page_link(page_at("/warnings", view.lang), label=view.t("warnings_link", n=count),
                 icon=":material/notification_important:", help=view.t("warnings_link_help"))


def on_pick(key: str, select: Callable[[str], None]) -> Callable[[], None]:
    """A chart's on_select callback: the first clicked point's code (customdata[0]) goes to `select`."""
    def callback() -> None:
        points = (st.session_state.get(key) or {}).get("selection", {}).get("points", [])
        codes = [point["customdata"][0] for point in points if point.get("customdata")]
        if codes:
            select(codes[0])
    return callback


def download(view: View, frame: pd.DataFrame | Callable[[], Iterable[pd.DataFrame]], what: str, key: str) -> None:
    """CSV and Excel downloads of exactly the rows shown (a chart's or a table's), or, given a function yielding
    chunks, of what it reads (the 任务与投入 page's records); each is built only when its button is clicked."""
    flt = view.filter
    chunks = frame if callable(frame) else lambda: [frame]

    def csv() -> bytes:
        with csv_file(chunks(), view.lang) as out:
            return out.read()

    def xlsx() -> bytes:
        note = filters_note(flt, view.scope_names, view.snapshot, view.lang)
        with xlsx_file(chunks(), view.lang, note) as out:
            return out.read()

    buttons = st.container(horizontal=True, gap="small")   # each button as wide as its label: CSV and Excel told apart
    buttons.download_button(view.t("download_csv"), data=csv, mime="text/csv", key=key, icon=":material/download:",
                            file_name=file_name(what, view.scope_names, flt.date_from, flt.date_to), on_click="ignore")
    buttons.download_button(view.t("download_xlsx"), data=xlsx, mime=XLSX_MIME, key=f"{key}_xlsx",
                            icon=":material/table_view:", on_click="ignore",
                            file_name=xlsx_name(what, view.scope_names, flt.date_from, flt.date_to))


LINK_STYLE = """<style>
.fupin-downloads { display: flex; gap: 0.5rem; }
.fupin-downloads a { display: inline-flex; align-items: center; min-height: 2.5rem; padding: 0.25rem 0.75rem;
  border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem; color: inherit; text-decoration: none;
  background: #ffffff; white-space: nowrap; font-size: 0.875rem; }
.fupin-downloads a:hover { border-color: #ff4b4b; color: #ff4b4b; }
</style>"""


def record_downloads(view: View, dataset: str, what: str, key: str, only_failed: bool = False) -> None:
    """CSV and Excel of every record of the view's filter (millions, for a township-year at scale), as links to the
    app's download route: it streams them from the database on whichever replica gets the click, for this browser
    and the user this page is drawn for (fupin.report.exports, fupin.auth.grants)."""
    export = exports.RecordExport(dataset, view.snapshot.id, view.filter, view.lang, what, tuple(view.scope_names),
                                  only_failed)
    token = grants.issue(settings.data_dir(), export.text(), signin.holder(view.user), signin.sign_in_cookies())
    anchors = "".join(f'<a href="{escape(exports.link(signin.base_path(), kind, token))}" '
                      f'download="{escape(export.file_name(kind))}">{escape(view.t(label))}</a>'
                      for kind, label in (("csv", "download_csv"), ("xlsx", "download_xlsx")))
    with st.container(key=key):
        st.html(f'{LINK_STYLE}<div class="fupin-downloads">{anchors}</div>')


def table(view: View, frame: pd.DataFrame, key: str, height: int | str = "auto", ledger: bool = False,
          keep_codes: Sequence[str] = ()) -> None:
    """A table with readable headers and labels, names rather than codes (unless 显示代码 is on), money and weights
    in one unit (a `ledger`'s rows in 元 and 公斤) with fixed decimals, percentages with %."""
    shown = on_screen(frame, view.lang, ledger=ledger, codes=sidebar.codes_shown(), keep=keep_codes)
    numbers = {name: st.column_config.NumberColumn(format=spec) for name, spec in shown.formats.items()}
    st.dataframe(shown.frame, hide_index=True, placeholder=ABSENT, key=key, height=height, column_config=numbers)


def empty_message(view: View) -> None:
    """The plain message shown instead of a chart or table without rows."""
    st.info(view.t("no_data"), icon=":material/info:")


def page_header(view: View, page_key: str, note_key: str | None = None, village_level: bool = True) -> None:
    """Title (scope and page), the dates and what the page's data is filtered by, then the breadcrumb.

    Without `village_level` the title stops at the township (the page's data has no village).
    """
    names = view.scope_names[:-1] if view.village_name and not village_level else view.scope_names
    st.title(f"{' · '.join(names)} {view.t(page_key)}")
    dates = f"{view.filter.date_from.isoformat()} — {view.filter.date_to.isoformat()}"
    st.caption(f"{dates} · {view.t(note_key)}" if note_key else dates)
    breadcrumb(view)


def breadcrumb(view: View) -> None:
    """Scope › county › township › village, each level a button that goes back up to it."""
    levels = [(view.scope.name, select_county if not view.scope.is_county else select_township)]
    if view.county_name:
        levels.append((view.county_name, select_township))
    if view.township_name:
        levels.append((view.township_name, select_village))
    if view.village_name:
        levels.append((view.village_name, None))
    widths = [max(len(name), 3) + 2 for name, _ in levels]   # each crumb as wide as its name
    columns = st.columns(widths + [max(1, 60 - sum(widths))], vertical_alignment="center")
    for i, (name, go_up) in enumerate(levels):
        with columns[i]:
            last = i == len(levels) - 1
            st.button(("› " if i else "") + name, key=f"crumb_{i}", disabled=last, on_click=go_up, args=(None,),
                      type="tertiary")


def choice(view: View, key: str, options: Sequence[str], label_key: str, format_func: Callable) -> str:
    """A page's own segmented choice, kept in the URL under `key`; the first option is the default."""
    links.seed(key, lambda text: text if text in options else None)
    if st.session_state.get(key) not in options:
        st.session_state[key] = options[0]
    chosen = inputs.segmented(st, key, view.t(label_key), options, view.lang, format_func)
    links.keep(key, chosen, options[0])
    return chosen


def records_page(view: View, rows: int, page_rows: int) -> int:
    """The records page to show, 1-based, kept in the URL as `page` (an impossible page number is ignored)."""
    pages = max(1, -(-rows // page_rows))
    links.seed("page", lambda text: page_number(text, pages))
    if not 1 <= (st.session_state.get("page") or 1) <= pages:
        st.session_state["page"] = 1
    st.session_state.setdefault("page", 1)
    page = int(st.number_input(view.t("page_no"), min_value=1, max_value=pages, key="page", step=1, width=200))
    links.keep("page", page, 1)
    return page
