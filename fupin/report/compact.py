"""The headline tiles as a phone shows them: one short line each, the figure with its unit, the share of its yearly
target and how far ahead of or behind 序时进度 it is (or, without a target, its change year on year)."""

from collections.abc import Sequence
from dataclasses import dataclass

from ..text import fmt
from ..text.i18n import t
from .headline import Headline
from .tiles import Tile


@dataclass(frozen=True)
class CompactLine:
    """One tile in one line: label, value with its unit, the rest as short parts; `trend` up or down colours it."""

    label: str
    value: str
    parts: tuple[str, ...]
    trend: str | None

    def markdown(self) -> str:
        """The line in Streamlit Markdown: label in bold, ahead green and behind red."""
        colour = {"up": "green", "down": "red"}.get(self.trend)
        parts = [f":{colour}[{p}]" if colour and i == len(self.parts) - 1 else p for i, p in enumerate(self.parts)]
        return " · ".join([f"**{self.label}** {self.value}", *parts])


def _schedule(ahead_pp: float, lang: str) -> str:
    shown = round(ahead_pp, 1)
    key = "compact_ahead" if shown > 0 else "compact_behind" if shown < 0 else "compact_on_schedule"
    return t(key, lang, value=abs(shown))


def compact_lines(head: Headline, tiles: Sequence[Tile], lang: str) -> list[CompactLine]:
    """The tiles of a headline as short lines, in their order."""
    lines = []
    for tile in tiles:
        progress = head.progress(tile.key)
        parts = []
        if progress is not None and progress.pct_done is not None:
            parts.append(t("compact_done", lang, pct=fmt.pct(progress.pct_done)))
        if tile.ahead_pp is not None:
            parts.append(_schedule(tile.ahead_pp, lang))
        elif tile.delta:
            parts.append(tile.delta)
        lines.append(CompactLine(tile.label, tile.value, tuple(parts), tile.trend))
    return lines
