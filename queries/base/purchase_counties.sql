-- purpose: Purchase weight and amount per county of a filter's counties, every one listed (zeros when it has no purchases).
-- params: none
create or replace macro purchase_counties(date_from, date_to, counties, township, village, buyer_type, product_category, channel) as table
with totals as (
    select
        c.county_code,
        sum(c.weight_kg) as weight_kg,
        sum(c.amount_yuan) as amount_yuan,
        sum(c.poor_village_amount_yuan) as poor_village_amount_yuan
    from purchase_cube(date_from, date_to, counties, township, village, buyer_type, product_category, channel) as c
    group by c.county_code
)

select
    k.county_code,
    k.county_name,
    coalesce(totals.weight_kg, 0) as weight_kg,
    coalesce(totals.amount_yuan, 0) as amount_yuan,
    coalesce(totals.poor_village_amount_yuan, 0) as poor_village_amount_yuan
from counties as k
left join totals on totals.county_code = k.county_code
where list_contains(counties, k.county_code)
