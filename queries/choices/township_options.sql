-- purpose: Townships of the counties that existed in a year or hold purchases in it, for selectors, in code order.
-- params: $year, $counties
select
    t.township_code,
    t.township_name
from townships as t
where list_contains($counties, t.county_code)
  and ((t.first_year <= $year and t.last_year >= $year)
       or t.township_code in (
           select distinct r.township_code
           from purchase_main_month as r
           where year(r.month) = $year and list_contains($counties, r.county_code)
       ))
order by t.township_code
