-- purpose: Purchase records of a filter with readable names, newest first, one page at a time ($limit null = all).
-- params: $date_from, $date_to, $township, $village, $buyer_type, $product_category, $limit, $offset
select
    p.purchase_id,
    p.purchase_date,
    b.buyer_name,
    p.buyer_type,
    p.channel,
    p.supplier_type,
    p.supplier_name,
    p.supplier_credit_code,
    t.township_name,
    v.village_name,
    p.from_poor_village,
    p.product_category,
    p.product_name,
    p.weight_kg,
    p.amount_yuan
from filtered_purchases($date_from, $date_to, $township, $village, $buyer_type, $product_category) as p
left join buyers as b on b.buyer_id = p.buyer_id
left join townships as t on t.township_code = p.township_code
left join villages as v on v.village_code = p.village_code
order by p.purchase_date desc, p.purchase_id desc
limit $limit offset $offset
