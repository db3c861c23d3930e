-- purpose: Purchases of a filter summed per month and buyer: whole months from purchase_buyer_rollup, the rows of the part-months at either end and of any village filter, which the rollup does not keep (records = 1 each).
-- params: none
create or replace macro buyer_cube(date_from, date_to, counties, township, village, buyer_type, product_category) as table
with part_months as (   -- one scan of the rows (one plan): the two part-months, or every day for a village
    select * from part_month_purchases(date_from, date_to, counties, township, village, buyer_type, product_category, true)
)

select
    r.month, r.township_code, r.buyer_id, r.buyer_type, r.product_category, r.supplier_type, r.from_poor_village,
    r.records, r.weight_kg, r.amount_yuan
from purchase_buyer_rollup as r
where village is null
  and list_contains(counties, r.county_code)
  and r.year between year(date_from) and year(date_to)   -- the partitions of those years only
  and r.month >= first_whole_month(date_from)
  and r.month < end_of_whole_months(date_to)
  and (township is null or r.township_code = township)
  and (buyer_type is null or r.buyer_type = buyer_type)
  and (product_category is null or r.product_category = product_category)
union all
select
    date_trunc('month', p.purchase_date)::date as month, p.township_code, p.buyer_id, p.buyer_type,
    p.product_category, p.supplier_type, p.from_poor_village,
    1::bigint as records, p.weight_kg, p.amount_yuan
from part_months as p
