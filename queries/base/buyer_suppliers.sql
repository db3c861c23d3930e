-- purpose: For the buyers listed in `buyer_ids`, how many poor households and cooperatives (credit codes) sold to each inside a filter: whole months from purchase_supplier_rollup, the part-months and any village filter from the rows.
-- params: none
-- Distinct (buyer, supplier type, supplier) first and plain counts after: the same numbers as grouped
-- count(distinct ...) filter (...), much faster.
-- The buyers are matched by `in (select unnest(buyer_ids))`, a hash semi-join; list_contains(buyer_ids, ...) was a
-- nested-loop join over every rollup row (17 of 70 ms at 50M rows).
create or replace macro buyer_suppliers(date_from, date_to, counties, township, village, buyer_type, product_category, buyer_ids) as table
with part_months as (   -- one scan of the rows (one plan): the two part-months, or every day for a village
    select * from part_month_purchases(date_from, date_to, counties, township, village, buyer_type, product_category)
),

pairs as (
    select r.buyer_id, r.supplier_type, r.supplier
    from purchase_supplier_rollup as r
    where village is null
      and list_contains(counties, r.county_code)
      and r.year between year(date_from) and year(date_to)   -- the partitions of those years only
      and r.month >= first_whole_month(date_from)
      and r.month < end_of_whole_months(date_to)
      and (township is null or r.township_code = township)
      and (buyer_type is null or r.buyer_type = buyer_type)
      and (product_category is null or r.product_category = product_category)
      and r.buyer_id in (select unnest(buyer_ids))
    union
    select
        p.buyer_id,
        p.supplier_type,
        case when p.supplier_type = 'cooperative' then p.supplier_credit_code else p.supplier_name end
    from part_months as p
    where p.supplier_type in ('poor_household', 'cooperative')
      and p.buyer_id in (select unnest(buyer_ids))
)

select
    pairs.buyer_id,
    count(pairs.supplier) filter (where pairs.supplier_type = 'poor_household') as poor_households,
    count(pairs.supplier) filter (where pairs.supplier_type = 'cooperative') as cooperatives
from pairs
group by pairs.buyer_id
