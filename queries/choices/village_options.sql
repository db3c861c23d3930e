-- purpose: Villages of one township, for selectors, with the poor-village flag.
-- params: $township
select
    v.village_code,
    v.village_name,
    v.is_poor_village
from villages as v
where v.township_code = $township
order by v.village_code
