"""The briefing as one self-contained HTML file: opens offline (Plotly inlined), prints on A4."""

import html

import plotly.graph_objects as go

from . import fmt
from .tiles import Tile

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
@media print { .figure { page-break-inside: avoid; } }
"""


def _tile(tile: Tile) -> str:
    schedule = ""
    if tile.delta is not None:
        side = "ahead" if tile.ahead_pp is None or tile.ahead_pp >= 0 else "behind"
        schedule = f'<div class="note {side}">{html.escape(tile.delta)} {html.escape(tile.delta_note or "")}</div>'
    caption = f'<div class="note">{html.escape(tile.caption)}</div>' if tile.caption else ""
    return (f'<div class="tile"><div class="label">{html.escape(tile.label)}</div>'
            f'<div class="value">{html.escape(tile.value)}</div>{schedule}{caption}</div>')


def meta_line(brief: dict, snapshot, lang: str = "zh") -> str:
    """The line under the briefing's title: its dates and the data label (数据截至 …，更新于 … 北京时间)."""
    return f"{brief['date_from']} — {brief['as_of']} · {fmt.data_label(snapshot, lang)}"


def briefing_html(title: str, meta: str, tiles: list[Tile], text: str, figures: list[go.Figure],
                  lang: str = "zh") -> str:
    """A printable page: title, the big-number tiles, the brief text and figures."""
    charts = []
    for i, fig in enumerate(figures):
        # A4 width minus margins; room for axis titles and ticks that the wide screen layout does not need.
        sized = go.Figure(fig).update_layout(width=680, height=460 if i == 0 else 340, template="plotly_white",
                                             margin=dict(l=70, r=30, t=60, b=50))
        charts.append('<div class="figure">' + sized.to_html(full_html=False, include_plotlyjs=(i == 0),
                                                             config={"staticPlot": True}) + "</div>")
    return (
        f"<!DOCTYPE html><html lang=\"{'zh-CN' if lang == 'zh' else 'en'}\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{html.escape(title)}</h1><div class=\"meta\">{html.escape(meta)}</div>"
        f"<div class=\"tiles\">{''.join(_tile(tile) for tile in tiles)}</div>"
        f"<div class=\"text\">{html.escape(text)}</div>{''.join(charts)}</body></html>"
    )
