-- purpose: Cooperatives in business on the as-of date, new in the date range, and their members.
-- params: $date_from, $date_to, $counties, $township, $village
select
    count(*) filter (where in_business(c.registered_date, c.deregistered_date, $date_to)) as cooperatives_total,
    count(*) filter (where c.registered_date between $date_from and $date_to) as cooperatives_new,
    count(*) filter (where c.deregistered_date between $date_from and $date_to) as cooperatives_deregistered,
    coalesce(sum(c.members) filter (where in_business(c.registered_date, c.deregistered_date, $date_to)), 0)
        as members,
    coalesce(sum(c.poor_household_members)
             filter (where in_business(c.registered_date, c.deregistered_date, $date_to)), 0) as poor_household_members
from scoped_cooperatives($date_to, $counties, $township, $village) as c
