-- purpose: Purchase weight and amount per origin township of a filter, in the edition of the end date's year (a renamed township's earlier rows under its successor); every township of the counties in force that year with a seat is listed, with zeros when it has no purchases.
-- params: none
create or replace macro purchase_townships(date_from, date_to, counties, township, village, buyer_type, product_category, channel) as table
with by_code as (   -- summed per code as recorded first: the edition mapping then runs on a dozen rows
    select
        c.township_code,
        sum(c.weight_kg) as weight_kg,
        sum(c.amount_yuan) as amount_yuan,
        sum(c.poor_village_amount_yuan) as poor_village_amount_yuan
    from purchase_cube(date_from, date_to, counties, township, village, buyer_type, product_category, channel) as c
    group by c.township_code
),

totals as (
    select
        township_in_force(by_code.township_code, year(date_to)) as township_code,
        sum(by_code.weight_kg) as weight_kg,
        sum(by_code.amount_yuan) as amount_yuan,
        sum(by_code.poor_village_amount_yuan) as poor_village_amount_yuan
    from by_code
    group by all
)

select
    t.township_code,
    t.township_name,
    coalesce(totals.weight_kg, 0) as weight_kg,
    coalesce(totals.amount_yuan, 0) as amount_yuan,
    coalesce(totals.poor_village_amount_yuan, 0) as poor_village_amount_yuan
from townships as t
left join totals on totals.township_code = t.township_code
where list_contains(counties, t.county_code)
  and (totals.township_code is not null
       or township_listed(t.first_year, t.last_year, t.lng, year(date_to)))
