-- purpose: Certified products of the scope that count on the end date and whose certification ends within $within_days days after it, the soonest first.
-- params: $date_to, $counties, $township, $within_days
select
    c.product_id,
    c.product_name,
    c.supplier_name,
    c.township_code,
    t.township_name,
    c.county_code,
    c.valid_until,
    date_diff('day', $date_to, c.valid_until) as days_left
from scoped_certified_products($date_to, $counties, $township) as c
left join townships as t on t.township_code = c.township_code
where certified_on(c.certified_date, c.valid_until, c.status, $date_to)
  and c.valid_until <= $date_to + to_days(cast($within_days as integer))
order by c.valid_until, c.product_id
