-- purpose: Of the counties given (all when null), the yearly targets a replace would remove, counted per year and scope (county or township).
-- params: $counties
select
    t.year,
    t.scope_code as township_code,
    count(*) as rows
from targets as t
where $counties is null or list_contains($counties, t.county_code)
group by all
order by t.year, t.scope_code
