-- purpose: Of the counties given (all when null), the task updates a replace would remove, counted per update year and county.
-- params: $counties
select
    year(t.update_date) as year,
    t.county_code as township_code,
    count(*) as rows
from tasks as t
where $counties is null or list_contains($counties, t.county_code)
group by all
order by year, t.county_code
