-- purpose: Purchase weight and amount per calendar month of a filter.
-- params: $date_from, $date_to, $counties, $township, $village, $buyer_type, $product_category
select
    c.month,
    sum(c.weight_kg) as weight_kg,
    sum(c.amount_yuan) as amount_yuan,
    coalesce(sum(c.amount_yuan) filter (where c.from_poor_village), 0) as poor_village_amount_yuan
from purchase_cube($date_from, $date_to, $counties, $township, $village, $buyer_type, $product_category) as c
group by month
order by month
