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
    """The snapshot's buyers, and the new ones a ledger brings, each with an id continuing the register's."""

    def __init__(self, buyers: pd.DataFrame):
        self.registered = {buyer_key(n): (i, t) for i, n, t in zip(buyers["buyer_id"], buyers["buyer_name"],
                                                                   buyers["buyer_type"])}
        numbers = [int(m.group(1)) for m in map(NEW_BUYER_ID.match, buyers["buyer_id"]) if m]
        self.next_number = max(numbers, default=0) + 1
        self.new_types: dict[str, str] = {}
        self.added: list[dict] = []

    def learn(self, names: pd.Series, types: pd.Series) -> None:
        """Remember the type a ledger gives each unregistered buyer (the first one given), for all its rows."""
        for name, text in zip(names, types):
            code = _type_code(text)
            if name is not None and code and buyer_key(name) not in self.registered:
                self.new_types.setdefault(buyer_key(name), code)

    def problems(self, names: pd.Series, types: pd.Series) -> list[str | None]:
        """Why each row's buyer cannot be used: unknown and untyped, or a type that contradicts the register or itself."""
        reasons = []
        for name, text in zip(names, types):
            code = _type_code(text)
            if name is None or (text and code is None):
                reasons.append(None)
            elif buyer_key(name) in self.registered:
                reasons.append(BUYER_TYPE_CONFLICT if code and code != self.registered[buyer_key(name)][1] else None)
            elif buyer_key(name) not in self.new_types:
                reasons.append(BUYER_UNKNOWN)
            else:
                reasons.append(BUYER_TYPE_INCONSISTENT if code and code != self.new_types[buyer_key(name)] else None)
        return reasons

    def resolve(self, name: str) -> tuple[str, str]:
        """(buyer_id, buyer_type) of a checked row's buyer, registering a learnt new buyer on first use."""
        key = buyer_key(name)
        if key not in self.registered:
            if key not in self.new_types:
                raise ValueProblem(BUYER_UNKNOWN)
            buyer_id = f"B{self.next_number:06d}"
            self.next_number += 1
            self.registered[key] = (buyer_id, self.new_types[key])
            self.added.append({"buyer_id": buyer_id, "buyer_name": name, "buyer_type": self.new_types[key],
                               "township_code": None})
        return self.registered[key]
