-- purpose: Of the counties given (all when null), the inspection rows a replace would remove, counted per year and township.
-- params: $counties
select
    year(i.sample_date) as year,
    i.township_code,
    count(*) as rows
from inspections as i
where $counties is null or list_contains($counties, i.county_code)
group by all
order by year, i.township_code
