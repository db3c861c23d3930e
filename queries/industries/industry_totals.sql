-- purpose: The industries of the counties (of the township, when one is given) in $date_to's year, per county and industry: facilities, villages and townships covered (and of those villages, the reference's poor villages), households carried, farm households, people employed and investment; a figure no row gives stays empty.
-- params: $counties, $township, $date_to
select
    i.county_code,
    i.industry,
    count(*) as rows,
    sum(i.facilities) as facilities,
    count(distinct i.village_code) as villages,
    count(distinct i.village_code) filter (where v.is_poor_village) as poor_villages,
    count(distinct i.township_code) as townships,
    sum(i.poor_households) as poor_households,
    sum(i.farm_households) as farm_households,
    sum(i.people_employed) as people_employed,
    sum(i.investment_yuan) as investment_yuan
from industries as i
left join villages as v on v.village_code = i.village_code
where list_contains($counties, i.county_code)
  and i.year = year($date_to)
  and ($township is null or i.township_code = $township)
group by all
order by i.county_code, poor_households desc nulls last, i.industry
