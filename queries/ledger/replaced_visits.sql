-- purpose: Of the counties given (all when null), the pairing visits a replace would remove, counted per year and township.
-- params: $counties
select
    year(v.visit_date) as year,
    v.township_code,
    count(*) as rows
from visits as v
where $counties is null or list_contains($counties, v.county_code)
group by all
order by year, v.township_code
