-- purpose: The inspection rows a replace would remove, counted per year and township.
-- params: none
select
    year(i.sample_date) as year,
    i.township_code,
    count(*) as rows
from inspections as i
group by all
order by year, i.township_code
