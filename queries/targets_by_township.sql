-- purpose: One metric's yearly target for every township of the counties.
-- params: $year, $counties, $metric
select
    tg.scope_code as township_code,
    tg.target_value
from targets as tg
where tg.year = $year
  and tg.metric = $metric
  and list_contains($counties, tg.county_code)
  and length(tg.scope_code) = 9
order by tg.scope_code
