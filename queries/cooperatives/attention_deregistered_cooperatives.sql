-- purpose: Cooperatives deregistered within a filter's dates, with their county and township (in the edition of the end date's year), those with most poor-household members first.
-- params: $date_from, $date_to, $counties, $township
select
    c.credit_code,
    c.cooperative_name,
    c.county_code,
    c.township_code,
    c.deregistered_date,
    c.members,
    c.poor_household_members
from scoped_cooperatives($date_to, $counties, $township, null) as c
where c.deregistered_date between $date_from and $date_to
order by c.poor_household_members desc, c.deregistered_date desc, c.credit_code
