-- purpose: Townships that existed in a year or hold purchases in it, for selectors, in code order.
-- params: $year
select
    t.township_code,
    t.township_name
from townships as t
where (t.first_year <= $year and t.last_year >= $year)
   or t.township_code in (
       select distinct p.township_code from purchases as p where year(p.purchase_date) = $year
   )
order by t.township_code
