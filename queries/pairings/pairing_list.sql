-- purpose: The pairings of the counties in force on $date_to (with the township, when one is given): unit, township, since and mode, with the unit's visits to that township from 1 January of $date_to's year and in all, by $date_to.
-- params: $counties, $township, $date_to
select
    p.county_code,
    c.county_name,
    p.township_code,
    w.township_name,
    p.unit_name,
    p.paired_since,
    p.pairing_mode,
    count(v.visit_date) filter (where v.visit_date >= make_date(year($date_to), 1, 1)) as visits_this_year,
    count(v.visit_date) as visits_total,
    max(v.visit_date) as last_visit
from pairings as p
left join visits as v
    on v.township_code = p.township_code and v.unit_name = p.unit_name and v.visit_date <= $date_to
left join counties as c on c.county_code = p.county_code
left join townships as w on w.township_code = p.township_code
where list_contains($counties, p.county_code)
  and p.paired_since <= $date_to
  and ($township is null or p.township_code = $township)
group by all
order by p.county_code, p.township_code, p.unit_name
