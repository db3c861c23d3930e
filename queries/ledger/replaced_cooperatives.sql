-- purpose: Of the counties given (all when null), the cooperative registrations a replace would remove, counted per registration year and township.
-- params: $counties
select
    year(c.registered_date) as year,
    c.township_code,
    count(*) as rows
from cooperatives as c
where $counties is null or list_contains($counties, c.county_code)
group by all
order by year, c.township_code
