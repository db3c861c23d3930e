"""Whose figures a view shows: a named group of counties (samr), a city (610900 安康市) or one county, and the
counties it covers. Every query is bound to those counties (Filter.counties)."""

from dataclasses import dataclass

from .. import settings
from .db import SnapshotDB

KINDS = ("group", "city", "county")
# Scopes per snapshot id, read once: a snapshot never changes (a few scopes for each snapshot a process opens).
_SCOPES: dict[str, tuple["Scope", ...]] = {}


@dataclass(frozen=True)
class Scope:
    """A group, city or county of the snapshot, by code, with the county codes it covers."""

    kind: str
    code: str
    name: str
    counties: tuple[str, ...]

    @property
    def is_county(self) -> bool:
        """One county: its townships can be mapped and drilled into."""
        return self.kind == "county"


def scopes(db: SnapshotDB) -> list[Scope]:
    """Every scope of the snapshot that holds data: groups, then cities of two or more counties, then counties."""
    found = _SCOPES.get(db.snapshot.id)
    if found is None:
        frame = db.run("scope_options")
        found = _SCOPES[db.snapshot.id] = tuple(
            Scope(kind, code, name, tuple(counties)) for kind, code, name, counties in
            zip(frame["kind"], frame["scope_code"], frame["scope_name"], frame["counties"].tolist()))
    return list(found)


def find(db: SnapshotDB, code: str | None) -> Scope | None:
    """The scope of this code (a group code, a city or county code), or None."""
    return next((s for s in scopes(db) if s.code == code), None)


def default(db: SnapshotDB) -> Scope:
    """The scope a view opens on: $FUPIN_SCOPE when the snapshot has it, else its first county in code order."""
    return find(db, settings.default_scope()) or next(s for s in scopes(db) if s.is_county)


def county_names(db: SnapshotDB) -> dict[str, str]:
    """Every county of the snapshot with data, code -> name."""
    return {s.code: s.name for s in scopes(db) if s.is_county}
