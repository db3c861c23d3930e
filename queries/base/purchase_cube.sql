-- purpose: Purchases of a filter summed per month and coded column: whole months from purchase_rollup, the rows of the part-months at either end (records = 1 each); purchase queries that need no single row or buyer select from it.
-- params: none
-- The whole months of [date_from, date_to] run from first_whole_month(date_from) to before
-- end_of_whole_months(date_to); the rows before and after them come as they are, so the queries that select
-- from this sum `records`, never count rows.
create or replace macro purchase_cube(date_from, date_to, counties, township, village, buyer_type, product_category) as table
with part_months as (   -- one scan of the rows (one plan), pruned to the two part-months
    select * from part_month_purchases(date_from, date_to, counties, township, village, buyer_type, product_category, false)
)

select
    r.month, r.county_code, r.township_code, r.village_code, r.buyer_type, r.channel, r.supplier_type, r.from_poor_village,
    r.product_category, r.product_name, r.records, r.weight_kg, r.amount_yuan
from purchase_rollup as r
where r.month >= first_whole_month(date_from)
  and r.year between year(date_from) and year(date_to)   -- the partitions of those years only
  and list_contains(counties, r.county_code)
  and r.month < end_of_whole_months(date_to)
  and (township is null or r.township_code = township)
  and (village is null or r.village_code = village)
  and (buyer_type is null or r.buyer_type = buyer_type)
  and (product_category is null or r.product_category = product_category)
union all
select
    date_trunc('month', p.purchase_date)::date as month, p.county_code, p.township_code, p.village_code, p.buyer_type, p.channel,
    p.supplier_type, p.from_poor_village, p.product_category, p.product_name,
    1::bigint as records, p.weight_kg, p.amount_yuan
from part_months as p
