-- purpose: Cooperatives in business on the as-of date and new in the range, per township (in the edition of the as-of year) that has any.
-- params: $date_from, $date_to, $counties, $township, $village
select
    c.township_code,
    t.township_name,
    count(*) filter (where in_business(c.registered_date, c.deregistered_date, $date_to)) as cooperatives_total,
    count(*) filter (where c.registered_date between $date_from and $date_to) as cooperatives_new,
    coalesce(sum(c.poor_household_members)
             filter (where in_business(c.registered_date, c.deregistered_date, $date_to)), 0) as poor_household_members
from scoped_cooperatives($date_to, $counties, $township, $village) as c
left join townships as t on t.township_code = c.township_code
group by c.township_code, t.township_name
having cooperatives_total > 0 or cooperatives_new > 0
order by c.township_code
