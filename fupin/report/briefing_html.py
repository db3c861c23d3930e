"""The briefing as one self-contained HTML file: opens offline (Plotly inlined), prints on A4: page 1 holds what
needs attention, the tiles and the map, the text and the other figures follow; on a phone (under 640 px) it is one
column as wide as the screen, the figures too."""

import html
from collections.abc import Sequence

import plotly.graph_objects as go

from ..text import fmt
from ..text.i18n import t
from . import labels
from .tiles import Tile

# Figure heights in CSS pixels; each figure is as wide as the page (A4 width minus margins is 704 px, a phone's
# screen): the map fits page 1 below the list and tiles (the demo county's 17 lines, 滞销预警 included, leave it
# about 25 px to spare).
MAP_HEIGHT, FIGURE_HEIGHT = 360, 340
# Under this width the page is one column and the map shows the labels that fit a phone (fupin.report.labels).
PHONE_PX = 640

STYLE = """
@page { size: A4 portrait; margin: 12mm; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
       color: #1b1f24; margin: 0 auto; max-width: 186mm; }
h1 { font-size: 20pt; margin: 0 0 2mm; }
.meta { color: #555; font-size: 9pt; margin-bottom: 4mm; }
.tiles { display: grid; grid-template-columns: repeat(3, 1fr); gap: 3mm; margin-bottom: 4mm; }
.tile { border: 1px solid #d0d7de; border-radius: 2mm; padding: 2.5mm 3mm; break-inside: avoid; }
.tile .label { font-size: 9pt; color: #555; }
.tile .value { font-size: 18pt; font-weight: 700; }
.tile .note { font-size: 8pt; color: #555; }
/* as specific as .tile .note, so the schedule colour wins over its grey */
.tile .note.ahead { color: #2e7d32; } .tile .note.behind { color: #c62828; }
.text { white-space: pre-line; font-size: 11pt; line-height: 1.7; text-align: justify; margin: 4mm 0; }
.figure { break-inside: avoid; margin-bottom: 3mm; }
.attention h2 { font-size: 13pt; margin: 0 0 1.5mm; }
.attention ol { margin: 0 0 1mm; padding-left: 7mm; font-size: 10pt; line-height: 1.45; }
.attention .omitted { font-size: 9pt; color: #555; margin: 0 0 1mm; }
.attention { border-left: 1.2mm solid #c62828; padding: 1mm 0 1mm 3mm; margin-bottom: 4mm; }
.map-note { font-size: 8pt; color: #555; margin: 0 0 1mm; }
.rest { break-before: page; }
.rest .text::first-line { font-size: 13pt; font-weight: 700; }
@media screen and (max-width: PHONE_MAX) {
  body { padding: 0 12px; }
  h1 { font-size: 17pt; }
  .tiles { grid-template-columns: 1fr; }
}
@media print {
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h1 { font-size: 17pt; }
  .meta { margin-bottom: 2.5mm; }
  .attention { margin-bottom: 3mm; }
  .attention ol { font-size: 9pt; line-height: 1.35; }
  .attention .omitted { font-size: 8pt; }
  .tiles { gap: 2mm; margin-bottom: 2mm; }
  .tile { padding: 1.5mm 2.5mm; }
  .tile .value { font-size: 14pt; }
  .tile .label { font-size: 8pt; } .tile .note { font-size: 7pt; }
  .figure { page-break-inside: avoid; margin-bottom: 0; }
  .text { font-size: 10pt; line-height: 1.6; margin-top: 0; }
}
""".replace("PHONE_MAX", f"{PHONE_PX - 0.02}px")


def _tile(tile: Tile) -> str:
    schedule = ""
    if tile.delta is not None:
        side = {"up": " ahead", "down": " behind"}.get(tile.trend, "")
        schedule = f'<div class="note{side}">{html.escape(tile.delta)}</div>'
    caption = f'<div class="note">{html.escape(tile.caption)}</div>' if tile.caption else ""
    return (f'<div class="tile"><div class="label">{html.escape(tile.label)}</div>'
            f'<div class="value">{html.escape(tile.value)}</div>{schedule}{caption}</div>')


def meta_line(brief: dict, snapshot, lang: str = "zh") -> str:
    """The line under the briefing's title: its dates and the data label (数据截至 …，更新于 … 北京时间)."""
    return f"{brief['date_from']} — {brief['as_of']} · {fmt.data_label(snapshot, lang)}"


def _attention(lines: Sequence[str], notes: Sequence[str], lang: str) -> str:
    """The 一、需要关注的问题 section: an ordered list, what was left out, or that nothing needs attention."""
    heading = f"{'一、' if lang == 'zh' else 'I. '}{t('attention_title', lang)}"
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    body = f"<ol>{items}</ol>" if lines else f'<p class="omitted">{html.escape(t("attention_none", lang))}</p>'
    rest = "".join(f'<p class="omitted">{html.escape(note)}</p>' for note in notes)
    return f'<section class="attention"><h2>{html.escape(heading)}</h2>{body}{rest}</section>'


def _figure(fig: go.Figure, height: int, first: bool) -> str:
    """A figure as wide as the page; a map keeps its own margins (its labels are placed for them) and hides on a
    phone the labels that only fit wider."""
    sized = go.Figure(fig).update_layout(width=None, height=height, autosize=True, template="plotly_white")
    is_map = labels.is_map(fig)
    if not is_map:   # room for axis titles and ticks that the wide screen layout does not need
        sized.update_layout(margin=dict(l=70, r=30, t=60, b=50))
    css = labels.bands_css("map", fig, PHONE_PX)
    drawn = sized.to_html(full_html=False, include_plotlyjs=first, default_width="100%",
                          default_height=f"{height}px", config={"staticPlot": True, "responsive": True})
    return (f"<style>{css}</style>" if css else "") + f'<div class="figure{" map" if is_map else ""}">{drawn}</div>'


def briefing_html(title: str, meta: str, tiles: list[Tile], text: str, figures: list[go.Figure],
                  lang: str = "zh", attention: Sequence[str] | None = None, notes: Sequence[str] = (),
                  map_notes: Sequence[str] = ()) -> str:
    """A printable page: title, what needs attention (when given: `attention` lines and `notes` on what was left
    out), the big-number tiles, the first figure (the map, `map_notes` under it), then the brief text and the other
    figures (from page 2 on when the attention list fills page 1)."""
    charts = [_figure(fig, MAP_HEIGHT if i == 0 else FIGURE_HEIGHT, i == 0) for i, fig in enumerate(figures)]
    if charts:
        charts[0] += "".join(f'<p class="map-note">{html.escape(note)}</p>' for note in map_notes)
    needs = _attention(attention, notes, lang) if attention is not None else ""
    return (
        f"<!DOCTYPE html><html lang=\"{'zh-CN' if lang == 'zh' else 'en'}\"><head><meta charset=\"utf-8\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{html.escape(title)}</h1><div class=\"meta\">{html.escape(meta)}</div>{needs}"
        f"<div class=\"tiles\">{''.join(_tile(tile) for tile in tiles)}</div>{''.join(charts[:1])}"
        f"<div class=\"{'rest' if needs else 'flow'}\"><div class=\"text\">{html.escape(text)}</div>"
        f"{''.join(charts[1:])}</div></body></html>"
    )
