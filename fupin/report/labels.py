"""Map labels that never collide: each area's name, and under it its value, at the area's pole of inaccessibility,
kept only where its box (estimated from the font size and the text's length) stays clear of every label kept before
it at the narrowest size the map is drawn; a label that does not fit is shortened (its value left off, then its
name's 镇/乡 suffix), else dropped. Hover names every area in full.

A map is decided twice: for its wide band (a laptop's column, the printed A4 page) and for its narrow band (a
phone); the narrow labels are a subset of the wide ones, so one figure serves both, the labels that only fit wide
hidden on narrow screens by a CSS media query (`narrow_css`).
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

FONT_PX = 10
BORDER_PAD_PX = 1
# Estimated text widths in em: a Han character (or a full-width sign) is one em, Latin letters and digits about 0.6;
# bold about 5% wider. Line height 1.3 em. Errs wide: a label that would just fit is dropped rather than cut.
WIDE_EM, NARROW_EM, BOLD = 1.0, 0.62, 1.06
LINE_EM = 1.45
GAP_PX = 2          # between two labels
# Suffixes a township's or county's name may lose when the whole name does not fit (长直乡 → 长直).
SUFFIXES = ("街道办事处", "街道", "镇", "乡", "县", "区", "市")
# Where the figure's layout keeps the annotation indexes shown only in the wide band (layout.meta).
META_KEY = "hide_when_narrow"


def text_px(text: str, font_px: float = FONT_PX, bold: bool = False) -> float:
    """Estimated width of one line of text in CSS pixels."""
    ems = sum(WIDE_EM if ord(ch) >= 0x2E80 else NARROW_EM for ch in text)
    return ems * font_px * (BOLD if bold else 1.0)


def line_box(text: str, bold: bool = False) -> tuple[float, float]:
    """Width and height of a one-line annotation of `text` with its padding."""
    pad = 2 * (BORDER_PAD_PX + 1)
    return text_px(text, bold=bold) + pad, LINE_EM * FONT_PX + pad


def short_name(name: str) -> str:
    """The name without its administrative suffix when two characters or more remain (长直乡 → 长直), else itself."""
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


@dataclass(frozen=True)
class Panel:
    """A map panel as drawn: its rectangle in figure pixels (left, top, width, height) and the data it spans (x
    range, y range, y units per x unit on screen); plotly widens one range so both axes keep that ratio."""

    left: float
    top: float
    width: float
    height: float
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    y_ratio: float

    @property
    def scale(self) -> float:
        """Pixels per x unit."""
        return min(self.width / (self.x_range[1] - self.x_range[0]),
                   self.height / ((self.y_range[1] - self.y_range[0]) * self.y_ratio))

    def to_px(self, x: float, y: float) -> tuple[float, float]:
        """Figure pixels (from the top left) of a data point."""
        k = self.scale
        cx, cy = sum(self.x_range) / 2, sum(self.y_range) / 2
        return (self.left + self.width / 2 + (x - cx) * k,
                self.top + self.height / 2 - (y - cy) * k * self.y_ratio)

    def holds(self, box: tuple[float, float, float, float]) -> bool:
        x0, y0, x1, y1 = box
        return self.left <= x0 and x1 <= self.left + self.width and self.top <= y0 and y1 <= self.top + self.height


@dataclass(frozen=True)
class Area:
    """An area to label: its code, name, value text, label point (data units) and room (inscribed radius)."""

    code: str
    name: str
    value: str
    point: tuple[float, float]
    room: float = 0.0


@dataclass(frozen=True)
class Label:
    """How an area is labelled: the name shown (whole or short) and whether its value line is under it."""

    code: str
    name: str
    with_value: bool


def boxes(label: Label, value: str, centre: tuple[float, float]) -> list[tuple[float, float, float, float]]:
    """The boxes (x0, y0, x1, y1 in figure pixels) of a label whose name is centred on `centre`, the value's
    under it."""
    x, y = centre
    w, h = line_box(label.name, bold=True)
    found = [(x - w / 2, y - h / 2, x + w / 2, y + h / 2)]
    if label.with_value:
        vw, vh = line_box(value)
        found.append((x - vw / 2, y + h / 2, x + vw / 2, y + h / 2 + vh))
    return found


def _clear(box, taken) -> bool:
    x0, y0, x1, y1 = box
    return all(x1 + GAP_PX <= a0 or a1 + GAP_PX <= x0 or y1 + GAP_PX <= b0 or b1 + GAP_PX <= y0
               for a0, b0, a1, b1 in taken)


def _fits(label: Label, area: Area, panel: Panel, taken: list) -> list | None:
    found = boxes(label, area.value, panel.to_px(*area.point))
    if all(panel.holds(b) and _clear(b, taken) for b in found):
        return found
    return None


def _variants(area: Area) -> list[Label]:
    short = short_name(area.name)
    names = [area.name] + ([short] if short != area.name else [])
    return [Label(area.code, name, with_value) for name in names for with_value in (True, False)]


def place(areas: Sequence[Area], panel: Panel, first: str | None = None,
          kept: dict[str, Label] | None = None) -> dict[str, Label]:
    """The labels that fit a panel, by area code: `first` (the area chosen) first, then the roomiest areas.

    With `kept` (the labels decided for a narrower drawing), those stay as they are, a value line added where it
    now fits, and the others are placed around them.
    """
    kept = kept or {}
    order = sorted(areas, key=lambda a: (a.code not in kept, a.code != first, -a.room, a.code))
    taken: list = []
    placed: dict[str, Label] = {}
    for area in order:
        if area.code in kept:
            before = kept[area.code]
            choices = [Label(area.code, before.name, True), before] if not before.with_value else [before]
        else:
            choices = _variants(area)
        for label in choices:
            found = _fits(label, area, panel, taken)
            if found is not None:
                placed[area.code] = label
                taken += found
                break
    return placed


def room_px(room: float, panel: Panel) -> float:
    """An area's inscribed radius in pixels (for ordering only)."""
    return room * panel.scale


def annotations(areas: Sequence[Area], wide: dict[str, Label], narrow: dict[str, Label], axes: dict,
                start: int) -> tuple[list[dict], list[int]]:
    """Plotly annotations of the wide labels (name centred on the point, value under it) and the indexes (counted
    from `start`) of those a narrow drawing hides."""
    result, hidden = [], []
    style = dict(showarrow=False, font=dict(size=FONT_PX, color="#111"), bgcolor="rgba(255,255,255,0.72)",
                 borderpad=BORDER_PAD_PX, **axes)
    for area in areas:
        label = wide.get(area.code)
        if label is None:
            continue
        small = narrow.get(area.code)
        _, name_height = line_box(label.name, bold=True)
        x, y = area.point
        if small is None:
            hidden.append(start + len(result))
        result.append(dict(x=x, y=y, text=f"<b>{label.name}</b>", yanchor="middle", **style))
        if label.with_value:
            if small is None or not small.with_value:
                hidden.append(start + len(result))
            result.append(dict(x=x, y=y, text=area.value, yanchor="top", yshift=-math.ceil(name_height / 2), **style))
    return result, hidden


def is_map(fig) -> bool:
    """Whether a figure is a map with labels placed here."""
    return isinstance(fig.layout.meta, dict) and META_KEY in fig.layout.meta


def narrow_css(scope_class: str, fig, below_px: int) -> str:
    """The CSS that hides a map's wide-only labels in the element of class `scope_class` on screens narrower than
    `below_px` ("" when none is hidden)."""
    hidden = fig.layout.meta[META_KEY] if is_map(fig) else []
    if not hidden:
        return ""
    chosen = ", ".join(f".{scope_class} g.annotation[data-index='{i}']" for i in hidden)
    return f"@media screen and (max-width: {below_px - 0.02}px) {{ {chosen} {{ display: none; }} }}"
