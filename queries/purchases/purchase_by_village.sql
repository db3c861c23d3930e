-- purpose: Purchase weight and amount per origin village, with its poor-village flag.
-- params: $date_from, $date_to, $counties, $township, $village, $buyer_type, $product_category, $channel
select
    c.village_code,
    v.village_name,
    c.township_code,
    v.is_poor_village,
    sum(c.records)::bigint as records,
    sum(c.weight_kg) as weight_kg,
    sum(c.amount_yuan) as amount_yuan
from summed_village($date_from, $date_to, $counties, $township, $village, $buyer_type, $product_category, $channel) as c
left join villages as v on v.village_code = c.village_code
group by c.village_code, v.village_name, c.township_code, v.is_poor_village
order by amount_yuan desc, c.village_code
