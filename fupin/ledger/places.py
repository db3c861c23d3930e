"""Counties, townships and villages named in a ledger, found by name or code in the code edition in force in the
row's year, within the row's county (its 县 column) or the importing user's counties."""

import re
from collections import defaultdict

import pandas as pd

from .values import ValueProblem

COUNTY_UNKNOWN = "县不在参考区划中（请填写快照中的县名称或6位代码）"
COUNTY_OUTSIDE = "该县不在本次导入的范围内"
TOWNSHIP_UNKNOWN = "乡镇不存在（名称或代码不在参考区划中）"
TOWNSHIP_OUTSIDE = "该乡镇不在所填的县或本次导入的范围内"
TOWNSHIP_NOT_IN_YEAR = "该乡镇在这一年不存在（已撤并或尚未设立）"
TOWNSHIP_AMBIGUOUS = "乡镇名称不唯一，请填写9位乡镇代码"
TOWNSHIP_IN_SEVERAL_COUNTIES = "乡镇名称在多个县都有（如城关镇），请填写“县”列或9位乡镇代码"
VILLAGE_UNKNOWN = "村不存在（名称或代码不在参考区划中）"
VILLAGE_MISPLACED = "该村不在所填乡镇当年的区划中（2020年起村级区划有调整）"
VILLAGE_AMBIGUOUS = "村名不唯一，请填写12位村代码"
WHOLE_COUNTY = "全县"
WHOLE_COUNTY_UNPLACED = "“全县”须同时填写“县”列，或只导入一个县"


def _stem(township_name: str) -> str:
    return re.sub(r"[乡镇]$", "", township_name)


def _village_names(text: str) -> tuple[str, ...]:
    """The register names a ledger's village name may stand for: 望仙村 or 望仙 for 望仙村委会."""
    return (text, text + "委会", text + "村委会", text + "居委会")


class Places:
    """The snapshot's townships and villages, looked up the way staff write them."""

    def __init__(self, townships: pd.DataFrame, villages: pd.DataFrame, counties: pd.DataFrame | None = None,
                 allowed: tuple[str, ...] | None = None):
        if counties is None:   # only the codes the townships begin with (the brief's and the demo's lookups)
            codes = sorted({code[:6] for code in townships["township_code"]})
            counties = pd.DataFrame({"county_code": codes, "county_name": codes, "successor_code": None})
        self.counties = {}   # name or code -> code
        for code, name in zip(counties["county_code"], counties["county_name"]):
            self.counties[code] = self.counties[name] = code
        # A county with the code it replaced or was replaced by (旬阳县 610928 -> 旬阳市 610981): their townships.
        self.family = defaultdict(set)
        for code, successor in zip(counties["county_code"], counties["successor_code"]):
            self.family[code] |= {code, *([successor] if isinstance(successor, str) and successor else [])}
            if isinstance(successor, str) and successor:
                self.family[successor] |= {code, successor}
        self.allowed = None if allowed is None else set().union(*(self.family[c] or {c} for c in allowed))
        first, last = townships["first_year"].min(), townships["last_year"].max()
        # The reference covers some years only; a township alive at either end is taken to be alive beyond it.
        self.years = {code: (-1 if a <= first else int(a), 9999 if b >= last else int(b))
                      for code, a, b in zip(townships["township_code"], townships["first_year"], townships["last_year"])}
        self.related = defaultdict(set)
        for code, successor in zip(townships["township_code"], townships["successor_code"]):
            if isinstance(successor, str) and successor:
                self.related[code].add(successor)
                self.related[successor].add(code)
        self.by_name = defaultdict(set)
        for code, name in zip(townships["township_code"], townships["township_name"]):
            for key in (code, name, _stem(name)):
                self.by_name[key].add(code)
        self.editions = sorted({int(e) for eds in villages["editions"] for e in eds.split()})
        self.poor = dict(zip(villages["village_code"], villages["is_poor_village"].astype(bool)))
        self.areas = defaultdict(lambda: defaultdict(set))  # (township, edition) -> name or code -> codes
        self.village_keys = set()
        for code, name, township, eds in zip(villages["village_code"], villages["village_name"],
                                             villages["township_code"], villages["editions"]):
            self.village_keys |= {code, name}
            for edition in eds.split():
                self.areas[township, int(edition)][code].add(code)
                self.areas[township, int(edition)][name].add(code)

    def _named(self, text: str) -> set[str]:
        return self.by_name.get(text) or self.by_name.get(_stem(text), set())

    def _lineage(self, code: str) -> set[str]:
        """A township with every unit it replaced or was replaced by."""
        found, pending = set(), [code]
        while pending:
            current = pending.pop()
            if current not in found:
                found.add(current)
                pending += self.related[current]
        return found

    def knows_county(self, text: str) -> bool:
        """Whether a name or code is a county of the snapshot's reference."""
        return text in self.counties

    def allows_county(self, text: str) -> bool:
        """Whether a county (name or code) may be imported into (a county outside the user's scope may not)."""
        return self.allowed is None or self.counties.get(text) in self.allowed

    def county(self, text: str) -> str:
        """The code of a county named or coded, within the import's scope."""
        if text not in self.counties:
            raise ValueProblem(COUNTY_UNKNOWN)
        if not self.allows_county(text):
            raise ValueProblem(COUNTY_OUTSIDE)
        return self.counties[text]

    def knows_township(self, text: str) -> bool:
        """Whether a name or code is any township of the reference table, in any year."""
        return bool(self._named(text))

    def township(self, text: str, year: int, county: str | None = None) -> str:
        """The code of the township a name or code means in a year (英言乡 in 2020 is 英言镇, and back), within a
        county (a code, when the row names one) and the import's counties."""
        named = self._named(text)
        if not named:
            raise ValueProblem(TOWNSHIP_UNKNOWN)
        within = self.family[county] or {county} if county else self.allowed
        if within is not None:
            named = {code for code in named if code[:6] in within}
            if not named:
                raise ValueProblem(TOWNSHIP_OUTSIDE)
        in_year = {code for unit in named for code in self._lineage(unit)
                   if self.years[code][0] <= year <= self.years[code][1]}
        if not in_year:
            raise ValueProblem(TOWNSHIP_NOT_IN_YEAR)
        if len(in_year) > 1:
            several = len({code[:6] for code in in_year}) > 1
            raise ValueProblem(TOWNSHIP_IN_SEVERAL_COUNTIES if several else TOWNSHIP_AMBIGUOUS)
        return in_year.pop()

    def knows_scope(self, text: str) -> bool:
        """Whether a target's scope names a county, the whole county, or any township."""
        return text == WHOLE_COUNTY or self.knows_county(text) or self.knows_township(text)

    def scope(self, text: str, year: int, county: str | None = None) -> str:
        """The scope code of a target: a county (全县: the row's county, or the import's only one), or a township in
        that year."""
        if text == WHOLE_COUNTY:
            only = county or (next(iter(self.allowed)) if self.allowed and len(self.allowed) == 1 else None)
            if only is None:
                raise ValueProblem(WHOLE_COUNTY_UNPLACED)
            return only
        if self.knows_county(text):
            return self.county(text)
        return self.township(text, year, county)

    def edition(self, year: int) -> int:
        """The village code edition in force in a year: the latest one published by then."""
        return max((e for e in self.editions if e <= year), default=self.editions[0])

    def knows_village(self, text: str) -> bool:
        """Whether a name or code is any village of the reference table, in any edition."""
        return any(name in self.village_keys for name in _village_names(text))

    def village(self, text: str, township_code: str, year: int) -> str:
        """The code of a village, named or coded, of a township in the edition in force in a year."""
        area = self.areas.get((township_code, self.edition(year)), {})
        matches = set().union(*(area.get(name, set()) for name in _village_names(text)))
        if len(matches) > 1:
            raise ValueProblem(VILLAGE_AMBIGUOUS)
        if not matches:
            raise ValueProblem(VILLAGE_MISPLACED if self.knows_village(text) else VILLAGE_UNKNOWN)
        return matches.pop()

    def is_poor_village(self, village_code: str) -> bool:
        """The village's 建档立卡贫困村 flag in the reference table."""
        return self.poor[village_code]
