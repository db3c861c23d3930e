-- purpose: Of the counties given (all when null), the outlets a replace would remove, counted per stage year and township.
-- params: $counties
select
    year(o.stage_date) as year,
    o.township_code,
    count(*) as rows
from outlets as o
where $counties is null or list_contains($counties, o.county_code)
group by all
order by year, o.township_code
