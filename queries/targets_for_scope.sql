-- purpose: The yearly targets of one scope (county or township code), one row per metric.
-- params: $year, $scope_code
select
    tg.metric,
    tg.target_value
from targets as tg
where tg.year = $year
  and tg.scope_code = $scope_code
order by tg.metric
