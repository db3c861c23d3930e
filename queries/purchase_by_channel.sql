-- purpose: Purchases per sales channel (七销 and the Yuanqu modes).
-- params: $date_from, $date_to, $township, $village, $buyer_type, $product_category
select
    p.channel,
    sum(p.weight_kg) as weight_kg,
    sum(p.amount_yuan) as amount_yuan,
    coalesce(sum(p.amount_yuan) filter (where p.from_poor_village), 0) as poor_village_amount_yuan
from filtered_purchases($date_from, $date_to, $township, $village, $buyer_type, $product_category) as p
group by p.channel
order by amount_yuan desc
