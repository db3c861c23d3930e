-- purpose: The industry rows of the counties (of the township, when one is given) in $date_to's year, with county, township and village names, largest number of poor households first.
-- params: $counties, $township, $date_to
select
    i.year,
    c.county_name,
    w.township_name,
    v.village_name,
    i.industry,
    i.project,
    i.facilities,
    i.scale,
    i.scale_unit,
    i.poor_households,
    i.farm_households,
    i.people_employed,
    i.investment_yuan,
    i.county_code,
    i.township_code,
    i.village_code
from industries as i
left join counties as c on c.county_code = i.county_code
left join townships as w on w.township_code = i.township_code
left join villages as v on v.village_code = i.village_code
where list_contains($counties, i.county_code)
  and i.year = year($date_to)
  and ($township is null or i.township_code = $township)
order by i.county_code, i.industry, i.poor_households desc nulls last, i.township_code, i.village_code
