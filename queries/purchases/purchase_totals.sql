-- purpose: Purchase totals of a filter: weight, amount, of which from poor villages, from poor villages or cooperatives.
-- params: $date_from, $date_to, $counties, $township, $village, $buyer_type, $product_category, $channel
with sums as (
    select
        coalesce(sum(c.records), 0)::bigint as records,
        coalesce(sum(c.weight_kg), 0) as weight_kg,
        coalesce(sum(c.amount_yuan), 0) as amount_yuan,
        coalesce(sum(c.poor_village_weight_kg), 0) as poor_village_weight_kg,
        coalesce(sum(c.poor_village_amount_yuan), 0) as poor_village_amount_yuan,
        coalesce(sum(c.poor_or_coop_weight_kg), 0) as poor_or_coop_weight_kg,
        coalesce(sum(c.poor_or_coop_amount_yuan), 0) as poor_or_coop_amount_yuan
    from purchase_cube($date_from, $date_to, $counties, $township, $village, $buyer_type, $product_category, $channel) as c
),

buyer_count as (
    select count(distinct b.buyer_id) as buyers
    from buyer_cube($date_from, $date_to, $counties, $township, $village, $buyer_type, $product_category, $channel) as b
)

select
    sums.records,
    buyer_count.buyers,
    sums.* exclude (records)
from sums
cross join buyer_count
