-- purpose: One metric's yearly target for every county of the scope.
-- params: $year, $counties, $metric
select
    tg.county_code,
    tg.target_value
from targets as tg
where tg.year = $year
  and tg.metric = $metric
  and list_contains($counties, tg.county_code)
  and length(tg.scope_code) = 6
order by tg.county_code
