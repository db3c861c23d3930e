-- purpose: Of the counties given (all when null), the industry rows a replace would remove, counted per year and township.
-- params: $counties
select
    i.year,
    i.township_code,
    count(*) as rows
from industries as i
where $counties is null or list_contains($counties, i.county_code)
group by all
order by i.year, i.township_code
