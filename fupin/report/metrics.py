"""The metric registry: every figure the dashboard shows, with its unit, label, deepest level and target."""

from dataclasses import dataclass

from ..text import fmt
from ..text.i18n import t

# The levels a dataset is recorded at, coarsest first.
LEVELS = ("county", "township", "village")


@dataclass(frozen=True)
class Metric:
    """One figure: its name (also its key in Headline.actuals and in the targets table), unit and label."""

    name: str
    label_key: str
    unit: str                     # yuan | kg | pct | batches | households | people | buyers | warnings | products |
                                  # suppliers | outlets | events | tasks | units | visits | townships | hh_times
                                  # (households carried, 户次)
    dataset: str                  # purchases | inspections | cooperatives | offers | certified_products | channel_sales |
                                  # outlets | events | tasks | help_funds | pairings | industries
    deepest_level: str = "village"
    has_target: bool = False
    unit_in_english_heading: bool = True   # False where the label already says what is counted (Members, not (people))

    def label(self, lang: str = "zh") -> str:
        return t(self.label_key, lang)

    @property
    def kind(self) -> str | None:
        """yuan or kg when the figure is money or a weight (shown in a unit chosen for the figures beside it)."""
        return self.unit if self.unit in fmt.KINDS else None

    def parts(self, value: float | None, lang: str = "zh", unit: fmt.Unit | None = None) -> tuple[str, str]:
        """The value as a number and its unit apart, for a tile whose heading carries the unit; money and weights in
        `unit` (the one chosen for the figures shown with it), else in the value's own (fmt.unit_for)."""
        if self.kind:
            unit = unit or fmt.unit_for(self.kind, [value])
            return unit.number(value, lang), unit.label(lang)
        if self.unit == "pct":
            return fmt.pct(value), ""
        return fmt.count_parts(value, t(f"unit_{self.unit}", lang), lang)

    def text(self, value: float | None, lang: str = "zh", unit: fmt.Unit | None = None) -> str:
        """The value with its unit as users read it (万元, 万公斤, 批次, 户, ...)."""
        if self.kind or self.unit == "pct":
            number, shown = self.parts(value, lang, unit)
            return number if number == "—" else fmt.with_unit(number, shown)
        return fmt.count(value, t(f"unit_{self.unit}", lang), lang)

    def heading(self, unit: str, lang: str = "zh") -> str:
        """The label with the unit its figures are shown in: 采购金额（万元）, Members (not Members (people))."""
        shown = unit if lang == "zh" or self.unit_in_english_heading else ""
        return fmt.titled(self.label(lang), shown, lang)

    def recorded_at(self, level: str) -> bool:
        """Whether the dataset holds this figure at a level (inspections have no village)."""
        return LEVELS.index(level) <= LEVELS.index(self.deepest_level)


METRICS: dict[str, Metric] = {m.name: m for m in (
    Metric("purchase_amount_yuan", "purchase_amount", "yuan", "purchases", has_target=True),
    Metric("purchase_weight_kg", "purchase_weight", "kg", "purchases", has_target=True),
    Metric("poor_village_amount_yuan", "poor_village_amount", "yuan", "purchases", has_target=True),
    Metric("poor_village_weight_kg", "poor_village_weight", "kg", "purchases"),
    Metric("buyers", "buyers_count", "buyers", "purchases"),
    Metric("lab_batches", "lab_batches", "batches", "inspections", "township", has_target=True),
    Metric("rapid_test_batches", "rapid_tests", "batches", "inspections", "township", has_target=True),
    Metric("failed_batches", "failed", "batches", "inspections", "township"),
    Metric("pass_rate_pct", "pass_rate", "pct", "inspections", "township"),
    Metric("new_cooperatives", "new_cooperatives", "households", "cooperatives", has_target=True),
    Metric("cooperatives_total", "cooperatives_total", "households", "cooperatives"),
    Metric("members", "members", "people", "cooperatives", unit_in_english_heading=False),
    Metric("poor_household_members", "poor_household_members", "people", "cooperatives",
           unit_in_english_heading=False),
    Metric("unsold_warnings", "unsold_warnings", "warnings", "offers"),
    Metric("certified_products", "certified_products", "products", "certified_products", "township"),
    Metric("certified_suppliers", "certified_suppliers", "suppliers", "certified_products", "township"),
    Metric("product_value_yuan", "product_value", "yuan", "certified_products", "township"),
    Metric("certified_sales_yuan", "certified_sales", "yuan", "channel_sales", "township"),
    Metric("signed_sales_yuan", "signed_sales", "yuan", "channel_sales", "township"),
    Metric("outlet_sales_yuan", "outlet_sales", "yuan", "channel_sales", "township"),
    Metric("counters", "counters_tile", "outlets", "outlets", "township", unit_in_english_heading=False),
    Metric("zones", "zones_tile", "outlets", "outlets", "township", unit_in_english_heading=False),
    Metric("halls", "halls_tile", "outlets", "outlets", "township", unit_in_english_heading=False),
    Metric("outlets", "outlets_in_service", "outlets", "outlets", "township"),
    Metric("events", "events_tile", "events", "events", "township"),
    Metric("tasks_total", "tasks_total", "tasks", "tasks", "county"),
    Metric("tasks_done", "tasks_done", "tasks", "tasks", "county", unit_in_english_heading=False),
    Metric("tasks_overdue", "tasks_overdue", "tasks", "tasks", "county"),
    Metric("tasks_stale", "tasks_stale", "tasks", "tasks", "county"),
    Metric("help_funds_yuan", "help_funds_total", "yuan", "help_funds", "township"),
    Metric("paired_units", "paired_units", "units", "pairings", "township"),
    Metric("paired_townships", "paired_townships", "townships", "pairings", "township"),
    Metric("visits_this_year", "visits_this_year", "visits", "pairings", "township"),
    # Households carried, added up over the industries (户次): a household carried by two counts twice.
    Metric("industry_poor_households", "industry_poor_households", "hh_times", "industries"),
)}

# The six headline tiles, in the order briefings read them.
HEADLINE = ("purchase_amount_yuan", "purchase_weight_kg", "poor_village_amount_yuan",
            "lab_batches", "rapid_test_batches", "new_cooperatives")
TARGET_METRICS = tuple(name for name, m in METRICS.items() if m.has_target)
PURCHASE_METRICS = tuple(name for name, m in METRICS.items() if m.dataset == "purchases")


def metric(name: str) -> Metric:
    """The registered metric of this name."""
    return METRICS[name]
