-- purpose: The unsold-product warning levels of the snapshot with their thresholds, mildest first (the settings a clerk sees on the 预警 page).
-- params: none
select
    r.warning_level,
    r.max_time_left_pct,
    r.min_unsold_pct
from warning_rules as r
order by r.severity
