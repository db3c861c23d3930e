-- purpose: The pairing visits of the counties (to the township, when one is given) dated $date_from to $date_to, newest first, with county and township names.
-- params: $counties, $township, $date_from, $date_to
select
    v.visit_date,
    c.county_name,
    w.township_name,
    v.unit_name,
    v.visit_kind,
    v.people,
    v.note,
    v.county_code,
    v.township_code
from visits as v
left join counties as c on c.county_code = v.county_code
left join townships as w on w.township_code = v.township_code
where list_contains($counties, v.county_code)
  and v.visit_date between $date_from and $date_to
  and ($township is null or v.township_code = $township)
order by v.visit_date desc, v.unit_name
