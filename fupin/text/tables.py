"""Tables as the screen shows them: names rather than codes, money and weights of a summary in one unit chosen from
its largest value (a ledger's rows keep 元 and 公斤), a fixed number of decimals, percentages with their %.

The downloads keep every column in 元 and 公斤 to the fen (fupin.text.export); only the screen reads this way.
"""

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from . import fmt
from .export import CODE_COLUMNS, readable
from .i18n import column

# Codes and ids are shown only when asked for (显示代码); a phone number is whom to call, not a code.
HIDDEN_CODES = tuple(name for name in CODE_COLUMNS if name != "contact_phone")
# The word of each stored unit in a header, as i18n writes it: 金额(元), Amount (yuan).
STORED_UNITS = {"yuan": {"zh": "元", "en": "yuan"}, "kg": {"zh": "公斤", "en": "kg"}}
PERCENT_HEADERS = (" (%)", "(%)")   # the spaced one first: "Pass rate (%)" loses its space too
WHOLE_NUMBER_COLUMNS = ("year",)   # numbers that are names: 2018, never 2,018


@dataclass(frozen=True)
class ScreenTable:
    """A table ready for the screen: readable cells and headers, and each numeric column's printf format."""

    frame: pd.DataFrame
    formats: dict[str, str]


def is_percent(name: str) -> bool:
    """Whether a column holds a percentage (pct_of_target, pass_rate_pct, unsold_pct…)."""
    return name.endswith("_pct") or name.startswith("pct_")


def names_not_codes(frame: pd.DataFrame, keep: Iterable[str] = ()) -> pd.DataFrame:
    """The frame without its code and id columns (but `keep`), a missing name given its code first (a village the
    reference does not know is still told apart)."""
    out = frame.copy()
    for level in ("county", "township", "village"):
        code, name = f"{level}_code", f"{level}_name"
        if code in out.columns and name in out.columns:
            out[name] = out[name].where(out[name].notna() & (out[name].astype(object) != ""), out[code])
    return out.drop(columns=[c for c in HIDDEN_CODES if c in out.columns and c not in keep])


def _number_format(series: pd.Series, name: str, lang: str, unit: fmt.Unit | None) -> str:
    """The printf format of a numeric column (`unit`: the one its money or weight is shown in, None for a ledger's
    元 and 公斤): thousands separators in English as fmt.number writes them."""
    comma = "," if lang != "zh" and name not in WHOLE_NUMBER_COLUMNS else ""
    if is_percent(name):
        return "%.1f%%"
    if name == "ahead_pp":
        return "%+.1f"
    if fmt.kind_of(name):
        return f"%{comma}.{unit.table_digits if unit else 2}f"
    known = series.dropna()
    whole = pd.api.types.is_integer_dtype(series) or (len(known) and bool((known % 1 == 0).all()))
    return f"%{comma}d" if whole else f"%{comma}.2f"


def _header(header: str, kind: str | None, unit: fmt.Unit | None, percent: bool, lang: str) -> str:
    """A column's header on the screen: the unit it is shown in, and no (%) beside values that carry their %."""
    if percent:
        for mark in PERCENT_HEADERS:
            header = header.removesuffix(mark)
    if kind and unit:
        stored = STORED_UNITS[kind][lang if lang == "zh" else "en"]
        header = header.replace(f"({stored}", f"({unit.label(lang)}", 1)
    return header


def on_screen(frame: pd.DataFrame, lang: str = "zh", ledger: bool = False, codes: bool = False,
              keep: Iterable[str] = ()) -> ScreenTable:
    """A frame as queried, for the screen: codes left out unless `codes` (or named in `keep`); a summary's money and
    weights each in one unit (fmt.unit_for over every such column) with that unit's table decimals (0.01万元,
    0.0001亿元), a ledger's rows (`ledger`) in 元 and 公斤 to the fen; percentages with one decimal and their %."""
    shown = frame if codes else names_not_codes(frame, keep)
    numeric = [name for name in shown.columns if pd.api.types.is_numeric_dtype(shown[name])
               and not pd.api.types.is_bool_dtype(shown[name])]
    units: dict[str, fmt.Unit] = {}
    if not ledger:
        for kind in fmt.KINDS:
            columns = [name for name in numeric if fmt.kind_of(name) == kind]
            if columns:
                units[kind] = fmt.unit_for(kind, shown[columns].to_numpy(dtype=float, na_value=float("nan")).ravel())
                shown = shown.assign(**{name: shown[name] / units[kind].divisor for name in columns})
    formats = {name: _number_format(shown[name], name, lang, units.get(fmt.kind_of(name))) for name in numeric}
    out = readable(shown, lang)
    headers = {column(name, lang): _header(column(name, lang), fmt.kind_of(name), units.get(fmt.kind_of(name)),
                                           is_percent(name), lang)
               for name in shown.columns}
    return ScreenTable(out.rename(columns=headers),
                       {headers[column(name, lang)]: spec for name, spec in formats.items()})
