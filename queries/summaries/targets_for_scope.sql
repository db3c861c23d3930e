-- purpose: The yearly targets of a scope, one row per metric: a township's own, else the sum of its counties' (a group's or a city's target is the sum of its counties').
-- params: $year, $counties, $township
select
    tg.metric,
    sum(tg.target_value) as target_value
from targets as tg
where tg.year = $year
  and list_contains($counties, tg.county_code)
  and (case when $township is null then length(tg.scope_code) = 6 else tg.scope_code = $township end)
group by tg.metric
order by tg.metric
