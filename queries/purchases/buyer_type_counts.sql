-- purpose: Registered buyers per type and how many of them purchased in the filter.
-- params: $date_from, $date_to, $counties, $township, $village, $buyer_type, $product_category, $channel
with active as (
    select distinct p.buyer_id from filtered_purchases($date_from, $date_to, $counties, $township, $village, $buyer_type, $product_category, $channel) as p
)

select
    b.buyer_type,
    count(*) as buyers_registered,
    count(active.buyer_id) as buyers_purchasing
from buyers as b
left join active on active.buyer_id = b.buyer_id
where list_contains($counties, b.county_code)
group by b.buyer_type
order by b.buyer_type
