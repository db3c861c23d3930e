-- purpose: Purchases of a filter per buyer, with the parts from poor villages and from poor villages or cooperatives (supplier counts: buyer_suppliers).
-- params: none
create or replace macro buyer_totals(date_from, date_to, counties, township, village, buyer_type, product_category, channel) as table
with by_buyer as (
    select
        c.buyer_id,
        sum(c.weight_kg) as weight_kg,
        sum(c.amount_yuan) as amount_yuan,
        sum(c.poor_village_weight_kg) as poor_village_weight_kg,
        sum(c.poor_village_amount_yuan) as poor_village_amount_yuan,
        sum(c.poor_or_coop_weight_kg) as poor_or_coop_weight_kg,
        sum(c.poor_or_coop_amount_yuan) as poor_or_coop_amount_yuan
    from buyer_cube(date_from, date_to, counties, township, village, buyer_type, product_category, channel) as c
    group by c.buyer_id
)

select
    b.buyer_id,
    b.buyer_name,
    b.buyer_type,
    by_buyer.* exclude (buyer_id)
from by_buyer
join buyers as b on b.buyer_id = by_buyer.buyer_id
