-- purpose: One metric's yearly target for every township of the counties (or only `$township`'s when it is set).
-- params: $year, $counties, $township, $metric
select
    tg.scope_code as township_code,
    tg.target_value
from targets as tg
where tg.year = $year
  and tg.metric = $metric
  and list_contains($counties, tg.county_code)
  and length(tg.scope_code) = 9
  and ($township is null or tg.scope_code = $township)
order by tg.scope_code
