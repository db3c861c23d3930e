-- purpose: The scope's 三专 outlets as of the end date (searchable by name, id, operator or host; $search null = all), with their stage then, the sales made through them from the start to the end date and their last sale by then.
-- params: $date_from, $date_to, $counties, $township, $search, $limit, $offset
with sold as (
    select
        s.outlet_id,
        sum(s.amount_yuan) filter (where s.sale_date >= $date_from) as sales_yuan,
        max(s.sale_date) as last_sale_date
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
    o.stage_on as stage,
    o.operator,
    o.host,
    t.township_name,
    o.opened_date,
    o.units,
    coalesce(s.sales_yuan, 0) as sales_yuan,
    s.last_sale_date,
    o.lng,
    o.lat,
    o.county_code,
    o.township_code
from scoped_outlets($date_to, $counties, $township) as o
left join sold as s on s.outlet_id = o.outlet_id
left join townships as t on t.township_code = o.township_code
where o.stage_on is not null
  and ($search is null
       or contains(o.outlet_name, $search) or contains(o.outlet_id, $search)
       or contains(o.operator, $search) or contains(coalesce(o.host, ''), $search))
order by o.kind, o.outlet_id
limit $limit offset $offset
