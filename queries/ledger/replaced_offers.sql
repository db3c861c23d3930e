-- purpose: Of the counties given (all when null), the offers a replace would remove, counted per harvest year and township.
-- params: $counties
select
    year(o.harvest_from) as year,
    o.township_code,
    count(*) as rows
from offers as o
where $counties is null or list_contains($counties, o.county_code)
group by all
order by year, o.township_code
