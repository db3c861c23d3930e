-- purpose: Each township of the counties in force in $date_to's year (only the township, when one is given) with its industries of that year: poor households carried, farm households, people employed and the industries named (zeros where it has none).
-- params: $counties, $township, $date_to
with towns as (
    select
        t.county_code,
        t.township_code,
        t.township_name
    from townships as t
    where list_contains($counties, t.county_code)
      and t.first_year <= year($date_to) and t.last_year >= year($date_to)
      and ($township is null or t.township_code = $township)
),

carried as (
    select
        township_in_force(i.township_code, year($date_to)) as township_code,
        sum(i.poor_households) as poor_households,
        sum(i.farm_households) as farm_households,
        sum(i.people_employed) as people_employed,
        string_agg(distinct i.industry, '、' order by i.industry) as industries
    from industries as i
    where list_contains($counties, i.county_code) and i.year = year($date_to)
    group by all
)

select
    t.county_code,
    t.township_code,
    t.township_name,
    coalesce(c.poor_households, 0) as poor_households,
    coalesce(c.farm_households, 0) as farm_households,
    coalesce(c.people_employed, 0) as people_employed,
    c.industries
from towns as t
left join carried as c on c.township_code = t.township_code
order by t.township_code
