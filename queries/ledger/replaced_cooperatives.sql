-- purpose: The cooperative registrations a replace would remove, counted per registration year and township.
-- params: none
select
    year(c.registered_date) as year,
    c.township_code,
    count(*) as rows
from cooperatives as c
group by all
order by year, c.township_code
