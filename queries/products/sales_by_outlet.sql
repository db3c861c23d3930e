-- purpose: Sales made of the scope's certified products through each 三专 outlet from the start to the end date (wherever the outlet is), the largest first, with the outlet's kind and place.
-- params: $date_from, $date_to, $counties, $township
select
    s.outlet_id,
    o.outlet_name,
    o.kind,
    o.online,
    o.smart,
    t.township_name,
    count(*) as records,
    sum(s.amount_yuan) as sales_yuan
from counted_channel_sales($date_from, $date_to, $counties, $township) as s
left join outlets as o on o.outlet_id = s.outlet_id
left join townships as t on t.township_code = o.township_code
where s.outlet_id is not null and s.sale_type = 'actual'
group by all
order by sales_yuan desc, s.outlet_id
