-- purpose: Purchases per buyer type, with the part from poor villages and the number of active buyers.
-- params: $date_from, $date_to, $township, $village, $buyer_type, $product_category
select
    p.buyer_type,
    count(distinct p.buyer_id) as buyers,
    sum(p.weight_kg) as weight_kg,
    sum(p.amount_yuan) as amount_yuan,
    coalesce(sum(p.weight_kg) filter (where p.from_poor_village), 0) as poor_village_weight_kg,
    coalesce(sum(p.amount_yuan) filter (where p.from_poor_village), 0) as poor_village_amount_yuan
from filtered_purchases($date_from, $date_to, $township, $village, $buyer_type, $product_category) as p
group by p.buyer_type
order by amount_yuan desc
