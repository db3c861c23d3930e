-- purpose: Of the counties given (all when null), the events a replace would remove, counted per start year and township.
-- params: $counties
select
    year(e.start_date) as year,
    e.township_code,
    count(*) as rows
from events as e
where $counties is null or list_contains($counties, e.county_code)
group by all
order by year, e.township_code
