"""The place a subscription covers: a group, city or county of the snapshot, or a township by its 9-digit code, with
what it allows to be read (the same scopes and rights as accounts)."""

from dataclasses import dataclass

from ..auth.permissions import TOWNSHIP_CODE, User, allowed
from ..query import choices, scope
from ..query.db import SnapshotDB
from ..query.scope import Scope
from ..query.scoped import Allowed


@dataclass(frozen=True)
class Place:
    """A scope or township: code, name, its counties, and the township when it is one."""

    code: str
    name: str
    counties: tuple[str, ...]
    township: str | None = None

    @property
    def allowed(self) -> Allowed:
        """What a brief of this place may read: its counties, and for a township only that township."""
        return Allowed(self.counties, self.township)

    def link_params(self, as_of) -> dict[str, str]:
        """The dashboard's query parameters of this place on a date (`/?scope=140827&township=…&to=…`)."""
        where = {"scope": self.counties[0], "township": self.township} if self.township else {"scope": self.code}
        return {**where, "to": as_of.isoformat()}


def resolve(db: SnapshotDB, code: str, year: int) -> Place | None:
    """The place of a scope code (group, city, county) or a township code in a year's codes; None when unknown."""
    code = code.strip()
    if TOWNSHIP_CODE.fullmatch(code):
        if code[:6] not in scope.county_names(db):
            return None
        name = choices.township_names(db, year, (code[:6],)).get(code)
        return Place(code, name, (code[:6],), code) if name else None
    found = scope.find(db, code)
    return Place(found.code, found.name, found.counties) if found else None


def within(rights: Allowed, code: str, scopes: list[Scope]) -> bool:
    """Whether a scope or township code lies within what `rights` allow (township staff: their township only), read
    from the snapshot's scopes (`fupin.query.scope.scopes`) without any figure."""
    if TOWNSHIP_CODE.fullmatch(code):
        counties, township = (code[:6],), code
    else:
        found = next((s for s in scopes if s.code == code), None)
        if found is None:
            return False
        counties, township = found.counties, None
    if rights.township is not None:
        return township == rights.township
    return bool(rights.counties) and set(counties) <= set(rights.counties)


def user_may_see(user: User, place: Place, db: SnapshotDB) -> bool:
    """Whether an account may see everything a brief of `place` shows."""
    scopes = scope.scopes(db)
    return within(allowed(user, scopes), place.code, scopes)
