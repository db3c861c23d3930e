-- purpose: The scope's 三专 outlets in service on the end date, open for at least $idle_days days, with no sale made through them in the $idle_days days up to it; the longest idle first.
-- params: $date_to, $counties, $township, $idle_days
with last_sales as (
    select s.outlet_id, max(s.sale_date) as last_sale_date
    from channel_sales as s
    where s.outlet_id is not null and s.sale_type = 'actual' and s.sale_date <= $date_to
    group by s.outlet_id
)

select
    o.outlet_id,
    o.outlet_name,
    o.kind,
    o.online,
    o.smart,
    o.township_code,
    t.township_name,
    o.county_code,
    l.last_sale_date,
    date_diff('day', coalesce(l.last_sale_date, o.opened_date, o.stage_date), $date_to) as idle_days
from scoped_outlets($date_to, $counties, $township) as o
left join last_sales as l on l.outlet_id = o.outlet_id
left join townships as t on t.township_code = o.township_code
where o.stage_on in ('landed', 'built')
  and coalesce(o.opened_date, o.stage_date) <= $date_to - to_days(cast($idle_days as integer))
  and (l.last_sale_date is null or l.last_sale_date <= $date_to - to_days(cast($idle_days as integer)))
order by idle_days desc, o.outlet_id
