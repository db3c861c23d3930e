-- purpose: The cooperative register as of a date, searchable by name or credit code fragment ($search null = all).
-- params: $date_to, $counties, $township, $village, $search, $limit, $offset
select
    c.credit_code,
    c.cooperative_name,
    t.township_name,
    v.village_name,
    c.industry,
    c.registered_date,
    c.deregistered_date,
    c.members,
    c.poor_household_members
from scoped_cooperatives($date_to, $counties, $township, $village) as c
left join townships as t on t.township_code = c.township_code
left join villages as v on v.village_code = c.village_code
where c.registered_date <= $date_to
  and ($search is null
       or contains(c.cooperative_name, $search)
       or contains(c.credit_code, upper($search)))
order by c.registered_date desc, c.credit_code
limit $limit offset $offset
