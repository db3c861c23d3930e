-- purpose: Purchases per product category and product, with the average price per kg.
-- params: $date_from, $date_to, $counties, $township, $village, $buyer_type, $product_category, $channel
select
    c.product_category,
    c.product_name,
    sum(c.weight_kg) as weight_kg,
    sum(c.amount_yuan) as amount_yuan,
    sum(c.amount_yuan) / nullif(sum(c.weight_kg), 0) as price_yuan_per_kg
from product_cube($date_from, $date_to, $counties, $township, $village, $buyer_type, $product_category, $channel) as c
group by c.product_category, c.product_name
order by amount_yuan desc
