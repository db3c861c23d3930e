-- purpose: Purchase records of a filter with readable names, newest first, one page at a time ($limit null = all).
-- params: $date_from, $date_to, $counties, $township, $village, $buyer_type, $product_category, $channel, $limit, $offset
with page as (   -- the page first, then the names: the scan can stop at the newest row groups
    select *
    from filtered_purchases($date_from, $date_to, $counties, $township, $village, $buyer_type, $product_category, $channel) as p
    order by p.purchase_date desc, p.purchase_id desc
    limit $limit offset $offset
)

select
    page.purchase_id,
    page.purchase_date,
    b.buyer_name,
    page.buyer_type,
    page.channel,
    page.supplier_type,
    page.supplier_name,
    page.supplier_credit_code,
    t.township_name,
    v.village_name,
    page.from_poor_village,
    page.product_category,
    page.product_name,
    page.weight_kg,
    page.amount_yuan
from page
left join buyers as b on b.buyer_id = page.buyer_id
left join townships as t on t.township_code = page.township_code
left join villages as v on v.village_code = page.village_code
order by page.purchase_date desc, page.purchase_id desc
