-- purpose: Purchases per buyer type, with the part from poor villages and the number of active buyers.
-- params: $date_from, $date_to, $counties, $township, $village, $buyer_type, $product_category, $channel
with sums as (
    select
        c.buyer_type,
        sum(c.weight_kg) as weight_kg,
        sum(c.amount_yuan) as amount_yuan,
        coalesce(sum(c.poor_village_weight_kg), 0) as poor_village_weight_kg,
        coalesce(sum(c.poor_village_amount_yuan), 0) as poor_village_amount_yuan
    from purchase_cube($date_from, $date_to, $counties, $township, $village, $buyer_type, $product_category, $channel) as c
    group by c.buyer_type
),

buyer_count as (
    select b.buyer_type, count(distinct b.buyer_id) as buyers
    from buyer_cube($date_from, $date_to, $counties, $township, $village, $buyer_type, $product_category, $channel) as b
    group by b.buyer_type
)

select
    sums.buyer_type,
    coalesce(buyer_count.buyers, 0) as buyers,
    sums.* exclude (buyer_type)
from sums
left join buyer_count on buyer_count.buyer_type = sums.buyer_type
order by sums.amount_yuan desc
