"""Map labels that never collide: each area's name, and under it its value, at the area's pole of inaccessibility,
kept only where its box (estimated from the font size and the text's length) stays clear of every label kept before
it at the narrowest size the map is drawn; a label that does not fit is shortened (its value left off, then its
name's 镇/乡 suffix), else dropped. Hover names every area in full.

A map is decided twice: for its wide band (a laptop's column, the printed A4 page) and for its narrow band (a
phone). One figure carries both sets, a label both show once, and CSS media queries hide what the other band shows
(`bands_css`).
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

FONT_PX = 10
BORDER_PAD_PX = 1
# Estimated text widths in em: a Han character (or a full-width sign) is one em, Latin letters and digits about 0.6;
# bold about 5% wider; a line's box about 1.45 em high (Chromium drew a 10 px line 18 px high with its padding).
# Errs wide: a label that would just fit is dropped rather than cut.
WIDE_EM, NARROW_EM, BOLD = 1.0, 0.62, 1.06
LINE_EM = 1.45
GAP_PX = 2          # between two labels
# Suffixes a township's or county's name may lose when the whole name does not fit (长直乡 → 长直).
SUFFIXES = ("街道办事处", "街道", "镇", "乡", "县", "区", "市")
# Where the figure's layout (layout.meta) keeps the indexes of the annotations a narrow drawing hides, and a wide one.
NARROW_KEY, WIDE_KEY = "hide_when_narrow", "hide_when_wide"


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


def place(areas: Sequence[Area], panel: Panel, first: str | None = None) -> dict[str, Label]:
    """The labels that fit a panel, by area code: `first` (the area chosen) first, then the roomiest areas, each as
    whole as it fits."""
    taken: list = []
    placed: dict[str, Label] = {}
    for area in sorted(areas, key=lambda a: (a.code != first, -a.room, a.code)):
        for label in _variants(area):
            found = _fits(label, area, panel, taken)
            if found is not None:
                placed[area.code] = label
                taken += found
                break
    return placed


def annotations(areas: Sequence[Area], wide: dict[str, Label], narrow: dict[str, Label], axes: dict,
                start: int) -> tuple[list[dict], list[int], list[int]]:
    """Plotly annotations of both drawings' labels (name centred on the point, value under it), and the indexes
    (counted from `start`) of those a narrow drawing hides and of those a wide one hides; what both show is one
    annotation."""
    result, narrow_hides, wide_hides = [], [], []
    style = dict(showarrow=False, font=dict(size=FONT_PX, color="#111"), bgcolor="rgba(255,255,255,0.72)",
                 borderpad=BORDER_PAD_PX, **axes)

    def add(annotation: dict, in_wide: bool, in_narrow: bool) -> None:
        if not in_narrow:
            narrow_hides.append(start + len(result))
        if not in_wide:
            wide_hides.append(start + len(result))
        result.append(annotation)

    for area in areas:
        big, small = wide.get(area.code), narrow.get(area.code)
        x, y = area.point
        for name in dict.fromkeys(label.name for label in (big, small) if label):
            add(dict(x=x, y=y, text=f"<b>{name}</b>", yanchor="middle", **style),
                bool(big and big.name == name), bool(small and small.name == name))
        shift = -math.ceil(line_box(area.name, bold=True)[1] / 2)   # under the name: one line high, whatever its text
        if (big and big.with_value) or (small and small.with_value):
            add(dict(x=x, y=y, text=area.value, yanchor="top", yshift=shift, **style),
                bool(big and big.with_value), bool(small and small.with_value))
    return result, narrow_hides, wide_hides


def is_map(fig) -> bool:
    """Whether a figure is a map with labels placed here."""
    return isinstance(fig.layout.meta, dict) and NARROW_KEY in fig.layout.meta


def bands_css(scope_class: str, fig, narrow_below_px: int) -> str:
    """The CSS that shows a map's labels of its narrow drawing on screens narrower than `narrow_below_px`, and of its
    wide drawing on wider screens and on paper, in the element of class `scope_class` ("" when both are the same)."""
    if not is_map(fig):
        return ""
    rules = []
    for media, key in ((f"screen and (max-width: {narrow_below_px - 0.02}px)", NARROW_KEY),
                       (f"print, screen and (min-width: {narrow_below_px}px)", WIDE_KEY)):
        if fig.layout.meta[key]:
            chosen = ", ".join(f".{scope_class} g.annotation[data-index='{i}']" for i in fig.layout.meta[key])
            rules.append(f"@media {media} {{ {chosen} {{ display: none; }} }}")
    return " ".join(rules)
