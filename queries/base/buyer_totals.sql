-- purpose: Purchases of a filter per buyer, with the parts from poor villages, cooperatives and poor households.
-- params: none
create or replace macro buyer_totals(date_from, date_to, township, village, buyer_type, product_category) as table
with by_buyer as (
    select
        p.buyer_id,
        sum(p.weight_kg) as weight_kg,
        sum(p.amount_yuan) as amount_yuan,
        coalesce(sum(p.weight_kg) filter (where p.from_poor_village), 0) as poor_village_weight_kg,
        coalesce(sum(p.amount_yuan) filter (where p.from_poor_village), 0) as poor_village_amount_yuan,
        coalesce(sum(p.weight_kg) filter (where p.from_poor_village or p.supplier_type = 'cooperative'), 0)
            as poor_or_coop_weight_kg,
        coalesce(sum(p.amount_yuan) filter (where p.from_poor_village or p.supplier_type = 'cooperative'), 0)
            as poor_or_coop_amount_yuan,
        count(distinct p.supplier_name) filter (where p.supplier_type = 'poor_household') as poor_households,
        count(distinct p.supplier_credit_code) filter (where p.supplier_type = 'cooperative') as cooperatives
    from filtered_purchases(date_from, date_to, township, village, buyer_type, product_category) as p
    group by p.buyer_id
)

select
    b.buyer_id,
    b.buyer_name,
    b.buyer_type,
    by_buyer.* exclude (buyer_id)
from by_buyer
join buyers as b on b.buyer_id = by_buyer.buyer_id
