-- purpose: The leading buyers of each buyer type ($per_type of each), ranked by amount within the type.
-- params: $date_from, $date_to, $counties, $township, $village, $buyer_type, $product_category, $channel, $per_type
with ranked as (
    select
        bt.*,
        row_number() over (partition by bt.buyer_type order by bt.amount_yuan desc, bt.buyer_id) as rank_in_type
    from buyer_totals($date_from, $date_to, $counties, $township, $village, $buyer_type, $product_category, $channel) as bt
    qualify rank_in_type <= $per_type
),

suppliers as (
    select *
    from buyer_suppliers($date_from, $date_to, $counties, $township, $village, $buyer_type, $product_category, $channel,
                         (select list(ranked.buyer_id) from ranked))
)

select
    ranked.* exclude (rank_in_type),
    coalesce(suppliers.poor_households, 0) as poor_households,
    coalesce(suppliers.cooperatives, 0) as cooperatives,
    ranked.rank_in_type
from ranked
left join suppliers on suppliers.buyer_id = ranked.buyer_id
order by ranked.amount_yuan desc, ranked.buyer_id
