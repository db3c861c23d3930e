-- purpose: Purchase totals of a filter: weight, amount, of which from poor villages, from poor villages or cooperatives.
-- params: $date_from, $date_to, $township, $village, $buyer_type, $product_category
select
    count(*) as records,
    count(distinct p.buyer_id) as buyers,
    coalesce(sum(p.weight_kg), 0) as weight_kg,
    coalesce(sum(p.amount_yuan), 0) as amount_yuan,
    coalesce(sum(p.weight_kg) filter (where p.from_poor_village), 0) as poor_village_weight_kg,
    coalesce(sum(p.amount_yuan) filter (where p.from_poor_village), 0) as poor_village_amount_yuan,
    coalesce(sum(p.weight_kg) filter (where p.from_poor_village or p.supplier_type = 'cooperative'), 0)
        as poor_or_coop_weight_kg,
    coalesce(sum(p.amount_yuan) filter (where p.from_poor_village or p.supplier_type = 'cooperative'), 0)
        as poor_or_coop_amount_yuan
from filtered_purchases($date_from, $date_to, $township, $village, $buyer_type, $product_category) as p
