-- purpose: The counties the snapshot's townships belong to (the first six digits of their codes).
-- params: none
select distinct left(t.township_code, 6) as county_code
from townships as t
order by county_code
