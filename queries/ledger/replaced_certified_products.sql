-- purpose: Of the counties given (all when null), the certified products a replace would remove, counted per certification year and township.
-- params: $counties
select
    year(c.certified_date) as year,
    c.township_code,
    count(*) as rows
from certified_products as c
where $counties is null or list_contains($counties, c.county_code)
group by all
order by year, c.township_code
