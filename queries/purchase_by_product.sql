-- purpose: Purchases per product category and product, with the average price per kg.
-- params: $date_from, $date_to, $township, $village, $buyer_type, $product_category
select
    p.product_category,
    p.product_name,
    sum(p.weight_kg) as weight_kg,
    sum(p.amount_yuan) as amount_yuan,
    sum(p.amount_yuan) / nullif(sum(p.weight_kg), 0) as price_yuan_per_kg
from filtered_purchases($date_from, $date_to, $township, $village, $buyer_type, $product_category) as p
group by p.product_category, p.product_name
order by amount_yuan desc
