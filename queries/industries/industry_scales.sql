-- purpose: The scale of each industry of the counties (of the township, when one is given) in $date_to's year, per county, industry and unit of scale (MW, 万袋, 亩 ...).
-- params: $counties, $township, $date_to
select
    i.county_code,
    i.industry,
    i.scale_unit,
    sum(i.scale) as scale
from industries as i
where list_contains($counties, i.county_code)
  and i.year = year($date_to)
  and ($township is null or i.township_code = $township)
  and i.scale is not null
group by all
order by all
