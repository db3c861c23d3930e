-- purpose: The sales-ledger rows of the scope's certified products from the start to the end date as they count (see counted_channel_sales), searchable by product, outlet, event or buyer ($search null = all), newest first.
-- params: $date_from, $date_to, $counties, $township, $search, $limit, $offset
select
    s.sale_id,
    s.sale_date,
    s.sale_type,
    s.product_id,
    s.product_name,
    s.supplier_name,
    s.outlet_id,
    o.outlet_name,
    s.event_id,
    e.event_name,
    s.channel,
    s.buyer_name,
    s.amount_yuan
from counted_channel_sales($date_from, $date_to, $counties, $township) as s
left join outlets as o on o.outlet_id = s.outlet_id
left join events as e on e.event_id = s.event_id
where $search is null
   or contains(s.product_name, $search) or contains(s.product_id, $search)
   or contains(coalesce(o.outlet_name, ''), $search) or contains(coalesce(s.outlet_id, ''), $search)
   or contains(coalesce(e.event_name, ''), $search) or contains(coalesce(s.buyer_name, ''), $search)
order by s.sale_date desc, s.sale_id desc
limit $limit offset $offset
