-- purpose: The purchase rows a replace would remove, counted per year and township.
-- params: none
select
    year(p.purchase_date) as year,
    p.township_code,
    count(*) as rows
from purchases as p
group by all
order by year, p.township_code
