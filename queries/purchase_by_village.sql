-- purpose: Purchase weight and amount per origin village, with its poor-village flag.
-- params: $date_from, $date_to, $township, $village, $buyer_type, $product_category
select
    p.village_code,
    v.village_name,
    p.township_code,
    v.is_poor_village,
    count(*) as records,
    sum(p.weight_kg) as weight_kg,
    sum(p.amount_yuan) as amount_yuan
from filtered_purchases($date_from, $date_to, $township, $village, $buyer_type, $product_category) as p
left join villages as v on v.village_code = p.village_code
group by p.village_code, v.village_name, p.township_code, v.is_poor_village
order by amount_yuan desc, p.village_code
