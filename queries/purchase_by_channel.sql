-- purpose: Purchases per sales channel (七销 and the Yuanqu modes).
-- params: $date_from, $date_to, $counties, $township, $village, $buyer_type, $product_category
select
    c.channel,
    sum(c.weight_kg) as weight_kg,
    sum(c.amount_yuan) as amount_yuan,
    coalesce(sum(c.amount_yuan) filter (where c.from_poor_village), 0) as poor_village_amount_yuan
from purchase_cube($date_from, $date_to, $counties, $township, $village, $buyer_type, $product_category) as c
group by c.channel
order by amount_yuan desc
