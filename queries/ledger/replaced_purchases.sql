-- purpose: Of the counties given (all when null), the purchase rows a replace would remove, counted per year and township.
-- params: $counties
select
    year(p.purchase_date) as year,
    p.township_code,
    count(*) as rows
from purchases as p
where $counties is null or list_contains($counties, p.county_code)
group by all
order by year, p.township_code
