-- purpose: Of the counties given (all when null), the pairings a replace would remove, counted per year paired and township.
-- params: $counties
select
    year(p.paired_since) as year,
    p.township_code,
    count(*) as rows
from pairings as p
where $counties is null or list_contains($counties, p.county_code)
group by all
order by year, p.township_code
