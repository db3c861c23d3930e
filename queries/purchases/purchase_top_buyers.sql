-- purpose: Buyers ranked by amount, with the parts from poor villages, cooperatives and poor households.
-- params: $date_from, $date_to, $counties, $township, $village, $buyer_type, $product_category, $channel, $limit
with ranked as (
    select *
    from buyer_totals($date_from, $date_to, $counties, $township, $village, $buyer_type, $product_category, $channel) as bt
    order by bt.amount_yuan desc, bt.buyer_id
    limit $limit
),

suppliers as (
    select *
    from buyer_suppliers($date_from, $date_to, $counties, $township, $village, $buyer_type, $product_category, $channel,
                         (select list(ranked.buyer_id) from ranked))
)

select
    ranked.*,
    coalesce(suppliers.poor_households, 0) as poor_households,
    coalesce(suppliers.cooperatives, 0) as cooperatives
from ranked
left join suppliers on suppliers.buyer_id = ranked.buyer_id
order by ranked.amount_yuan desc, ranked.buyer_id
