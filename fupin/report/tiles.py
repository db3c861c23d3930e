"""KPI tiles as data: label, value, schedule delta and caption, built once for the pages and the briefing HTML."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..query.filters import Filter
from ..text import fmt
from ..text.i18n import t
from .headline import Headline
from .kpi import TargetProgress, yoy_pct
from .metrics import HEADLINE, metric


@dataclass(frozen=True)
class Tile:
    """One tile: what it shows and how it stands against its target (ahead_pp None: no target)."""

    key: str
    label: str
    number: str                # the value without its unit (4154.6); the unit goes in the heading
    unit: str                  # 万元 / 亿元 / 万公斤 / 批次 / 户, or "" for none
    heading: str               # the label with the unit: 采购金额（万元）
    ahead_pp: float | None
    delta: str | None          # against 序时进度 (超序时4.4个百分点), or without a target the YoY change (同比+34.2%)
    trend: str | None          # up | down for the delta's arrow and colour, None when level or absent
    caption: str

    @property
    def value(self) -> str:
        """The value with its unit, as one text (4154.6万元) where no heading carries the unit."""
        return self.number if self.number == "—" else fmt.with_unit(self.number, self.unit)


def shared_units(names: Sequence[str], values: Callable[[str], Sequence[float | None]]) -> dict[str, fmt.Unit]:
    """One unit per kind of figure (money, weight) for tiles shown together, chosen from the largest value they
    show (`values(name)`: a tile's actual and target), so 1.83亿元 never sits beside 9574.5万元."""
    kinds: dict[str, list] = {}
    for name in names:
        kind = metric(name).kind
        if kind:
            kinds.setdefault(kind, []).extend(values(name))
    return {kind: fmt.unit_for(kind, shown) for kind, shown in kinds.items()}


def _notes(head: Headline, name: str, lang: str) -> list[str]:
    """The one extra figure a headline tile carries under its value."""
    if name == "poor_village_amount_yuan":
        return [f"{t('share', lang)} {fmt.pct(head.poor_village_share_pct)}"]
    if name == "lab_batches":
        return [f"{t('pass_rate', lang)} {fmt.pct(head.pass_rate_pct('lab'))}"]
    if name == "rapid_test_batches":
        return [f"{t('pass_rate', lang)} {fmt.pct(head.pass_rate_pct('rapid'))}"]
    if name == "new_cooperatives":
        total = metric("cooperatives_total").text(head.actuals["cooperatives_total"], lang)
        return [f"{t('cooperatives_total', lang)} {total}"]
    return []


def tile(name: str, actual: float | None, lang: str, previous: float | None = None,
         progress: TargetProgress | None = None, notes: Sequence[str] = (), scope_note: str | None = None,
         units: dict[str, fmt.Unit] | None = None) -> Tile:
    """The tile of one registered metric: value, target and 序时进度, YoY against `previous`, extra notes, and
    the coarser scope it really shows when the view is deeper than its data (a village's inspections); money and
    weights in the unit of the tiles shown with it (`units`, from shared_units), else in their own."""
    m = metric(name)
    unit = (units or {}).get(m.kind) or (fmt.unit_for(m.kind, [actual, progress and progress.target]) if m.kind
                                         else None)
    parts = [scope_note] if scope_note else []
    if progress is not None:
        parts += [f"{t('target', lang)} {m.text(progress.target, lang, unit)}",
                  f"{t('done', lang)} {fmt.pct(progress.pct_done)}"]
    change = yoy_pct(actual, previous) if actual is not None else None
    ahead = None if progress is None else progress.ahead_pp
    if ahead is not None:
        delta, trend = _against_schedule(ahead, lang)
        if change is not None:
            parts.append(f"{t('yoy', lang)} {change:+.1f}%")
    elif change is not None:
        delta, trend = t("yoy_delta", lang, value=change), _trend(change)
    else:
        delta = trend = None
    parts += notes
    number, shown = m.parts(actual, lang, unit)
    return Tile(name, m.label(lang), number, shown, m.heading(shown, lang), ahead, delta, trend, " · ".join(parts))


def _trend(value: float) -> str | None:
    shown = round(value, 1)
    return "up" if shown > 0 else "down" if shown < 0 else None


def _against_schedule(ahead_pp: float, lang: str) -> tuple[str, str | None]:
    """超序时4.4个百分点 / 落后序时6.2个百分点 / 与序时进度持平, with its trend."""
    trend = _trend(ahead_pp)
    key = {"up": "ahead_of_schedule", "down": "behind_schedule"}.get(trend, "on_schedule")
    return t(key, lang, value=abs(ahead_pp)), trend


def scope_note(flt: Filter, name: str, township_name: str | None, lang: str) -> str | None:
    """For a village view, the note that a township-level metric shows its township's figure."""
    m = metric(name)
    if not flt.village or m.recorded_at("village"):
        return None
    return t("township_level_only", lang, township=township_name or "", dataset=t(f"dataset_{m.dataset}", lang))


def schedule_line(head: Headline, lang: str) -> str | None:
    """The one line under the tiles that says what 序时进度 is on the end date (the same for every target)."""
    if not head.targets:
        return None
    return t("schedule_line_caption", lang, pct=fmt.pct(head.targets[0].schedule_pct), day=head.filter.as_of.isoformat())


def shown_values(actuals: dict, progress: Callable[[str], TargetProgress | None] = lambda name: None
                 ) -> Callable[[str], list[float | None]]:
    """What a tile shows of a metric: its actual and, with one, its target."""
    def values(name: str) -> list[float | None]:
        found = progress(name)
        return [actuals.get(name), found.target if found else None]
    return values


def headline_tiles(head: Headline, lang: str, township_name: str | None = None) -> list[Tile]:
    """The six headline tiles with targets, YoY and each one's extra figure, money and weights each in one unit."""
    units = shared_units(HEADLINE, shown_values(head.actuals, head.progress))
    return [tile(name, head.actuals[name], lang, head.previous.get(name), head.progress(name),
                 _notes(head, name, lang), scope_note(head.filter, name, township_name, lang), units)
            for name in HEADLINE]
