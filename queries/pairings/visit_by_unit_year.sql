-- purpose: Pairing visits of the counties (to the township, when one is given) by $date_to, per unit and year: visits, people and townships visited.
-- params: $counties, $township, $date_to
select
    v.unit_name,
    year(v.visit_date) as year,
    count(*) as visits,
    sum(v.people) as people,
    count(distinct v.township_code) as townships
from visits as v
where list_contains($counties, v.county_code)
  and v.visit_date <= $date_to
  and ($township is null or v.township_code = $township)
group by all
order by v.unit_name, year
