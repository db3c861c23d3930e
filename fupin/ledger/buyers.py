"""The buyers a purchase ledger names: registered ones by name, new ones added when the ledger gives their type."""

import re

import pandas as pd

from .values import BUYER_TYPE, ValueProblem

BUYER_UNKNOWN = "采购单位未登记：新单位请在“采购单位类型”列填写类型"
BUYER_TYPE_CONFLICT = "采购单位类型与已登记的类型不符"
BUYER_TYPE_INCONSISTENT = "同一个新采购单位在台账中填写了不同的类型"
NEW_BUYER_ID = re.compile(r"^B(\d+)$")


def buyer_key(name: str) -> str:
    """A buyer's name as compared: without spaces."""
    return re.sub(r"\s+", "", name)


def _type_code(text: str | None) -> str | None:
    try:
        return BUYER_TYPE.parse(text) if text else None
    except ValueProblem:
        return None


class Buyers:
    """The snapshot's buyers by county and name, and the new ones a ledger brings, each with an id continuing the
    register's. A buyer registered without a county (by an import before counties were kept) matches in any."""

    def __init__(self, buyers: pd.DataFrame):
        self.registered = {(c if isinstance(c, str) else None, buyer_key(n)): (i, t)
                           for i, n, t, c in zip(buyers["buyer_id"], buyers["buyer_name"], buyers["buyer_type"],
                                                 buyers["county_code"])}
        numbers = [int(m.group(1)) for m in map(NEW_BUYER_ID.match, buyers["buyer_id"]) if m]
        self.next_number = max(numbers, default=0) + 1
        self.new_types: dict[tuple[str, str], str] = {}
        self.added: list[dict] = []

    def _known(self, county: str, name: str) -> tuple[str, str] | None:
        return self.registered.get((county, buyer_key(name))) or self.registered.get((None, buyer_key(name)))

    def learn(self, names: pd.Series, types: pd.Series, counties: list[str | None]) -> None:
        """Remember the type a ledger gives each unregistered buyer of a county (the first one given), for all its
        rows."""
        for name, text, county in zip(names, types, counties):
            code = _type_code(text)
            if name is not None and county and code and self._known(county, name) is None:
                self.new_types.setdefault((county, buyer_key(name)), code)

    def problems(self, names: pd.Series, types: pd.Series, counties: list[str | None]) -> list[str | None]:
        """Why each row's buyer cannot be used: unknown in its county and untyped, or a type that contradicts the
        register or itself (None where the row's county is not known: its place is reported instead)."""
        reasons = []
        for name, text, county in zip(names, types, counties):
            code = _type_code(text)
            known = self._known(county, name) if name is not None and county else None
            if name is None or county is None or (text and code is None):
                reasons.append(None)
            elif known is not None:
                reasons.append(BUYER_TYPE_CONFLICT if code and code != known[1] else None)
            elif (county, buyer_key(name)) not in self.new_types:
                reasons.append(BUYER_UNKNOWN)
            else:
                learnt = self.new_types[county, buyer_key(name)]
                reasons.append(BUYER_TYPE_INCONSISTENT if code and code != learnt else None)
        return reasons

    def resolve(self, name: str, county: str) -> tuple[str, str]:
        """(buyer_id, buyer_type) of a checked row's buyer in its county, registering a learnt new buyer there on
        first use."""
        known = self._known(county, name)
        if known is None:
            key = (county, buyer_key(name))
            if key not in self.new_types:
                raise ValueProblem(BUYER_UNKNOWN)
            buyer_id = f"B{self.next_number:06d}"
            self.next_number += 1
            known = self.registered[key] = (buyer_id, self.new_types[key])
            self.added.append({"buyer_id": buyer_id, "buyer_name": name, "buyer_type": self.new_types[key],
                               "county_code": county, "township_code": None})
        return known
