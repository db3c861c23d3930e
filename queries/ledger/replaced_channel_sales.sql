-- purpose: Of the counties given (all when null), the channel sales rows a replace would remove, counted per sale year and township.
-- params: $counties
select
    year(s.sale_date) as year,
    s.township_code,
    count(*) as rows
from channel_sales as s
where $counties is null or list_contains($counties, s.county_code)
group by all
order by year, s.township_code
