"""The view a first visitor opens, computed once before the app accepts anyone: the default scope's overview for
the current snapshot's year to its as-of date, with the sidebar's lists. The results stay in the snapshot database's
result cache (keyed by query and bound values), so the first visitor's page run finds them as the second's does."""

from ..query import choices, scope
from ..query.db import SnapshotDB
from ..query.filters import Filter
from . import attention, page_data


def default_view(db: SnapshotDB) -> Filter:
    """The filter a visitor without a link sees: the default scope, 1 January to the as-of date (the sidebar's
    defaults: fupin.ui.sidebar)."""
    snapshot = db.snapshot
    chosen = scope.default(db)
    years = choices.years(db, chosen.counties)
    year = snapshot.as_of.year if snapshot.as_of.year in years else years[0]
    end = min(snapshot.as_of, snapshot.as_of.replace(year=year, month=12, day=31))
    for county in chosen.counties if chosen.is_county else ():
        choices.township_names(db, end.year, (county,))
    choices.product_categories(db, chosen.counties)
    return Filter(end.replace(month=1, day=1), end, counties=chosen.counties)


def warm(db: SnapshotDB) -> Filter:
    """Run the default view's queries (the overview's first screen: tiles, 需关注, the 滞销预警 count) into the
    result cache; the filter they were run for."""
    flt = default_view(db)
    chosen = scope.default(db)
    overview = page_data.overview(db, flt)
    place = (chosen.code, chosen.name)
    attention.build(db, flt, *place, scope.county_names(db), head=overview.headline)
    page_data.unsold_warnings(db, flt)
    return flt
