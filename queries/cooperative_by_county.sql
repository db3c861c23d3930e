-- purpose: Cooperatives in business on the as-of date and new in the range, per county of the scope.
-- params: $date_from, $date_to, $counties, $township, $village
select
    c.county_code,
    count(*) filter (
        where c.registered_date <= $date_to
          and (c.deregistered_date is null or c.deregistered_date > $date_to)
    ) as cooperatives_total,
    count(*) filter (where c.registered_date between $date_from and $date_to) as cooperatives_new
from scoped_cooperatives($date_to, $counties, $township, $village) as c
group by c.county_code
order by c.county_code
