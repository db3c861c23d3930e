-- purpose: Of the counties given (all when null), the help funds a replace would remove, counted per year and township (the county where none is named).
-- params: $counties
select
    year(f.fund_date) as year,
    coalesce(f.township_code, f.county_code) as township_code,
    count(*) as rows
from help_funds as f
where $counties is null or list_contains($counties, f.county_code)
group by all
order by year, township_code
