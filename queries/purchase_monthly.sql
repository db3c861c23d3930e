-- purpose: Purchase weight and amount per calendar month of a filter.
-- params: $date_from, $date_to, $township, $village, $buyer_type, $product_category
select
    date_trunc('month', p.purchase_date)::date as month,
    sum(p.weight_kg) as weight_kg,
    sum(p.amount_yuan) as amount_yuan,
    coalesce(sum(p.amount_yuan) filter (where p.from_poor_village), 0) as poor_village_amount_yuan
from filtered_purchases($date_from, $date_to, $township, $village, $buyer_type, $product_category) as p
group by month
order by month
