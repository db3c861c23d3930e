-- purpose: Purchases of a filter per month and buyer (with township and category) with their sums: whole months from purchase_buyer_month, the part-months from purchase_buyer_day; a village or channel filter, which these sums do not keep, from the rows (records = 1 each).
-- params: none
create or replace macro buyer_cube(date_from, date_to, counties, township, village, buyer_type, product_category, channel) as table
select
    m.month, m.township_code, m.buyer_id, m.buyer_type, m.product_category, m.records, m.weight_kg, m.amount_yuan, m.poor_village_weight_kg, m.poor_village_amount_yuan,
    m.poor_or_coop_weight_kg, m.poor_or_coop_amount_yuan
from purchase_buyer_month as m
where village is null and channel is null   -- these sums keep no channel
  and m.year between year(date_from) and year(date_to)   -- the partitions of those years only
  and in_whole_months(m.month, date_from, date_to)
  and in_purchase_filter(m.county_code, m.township_code, m.buyer_type, m.product_category, null,
                         counties, township, buyer_type, product_category, channel)
union all   -- the part-months at either end: one scan of their row groups
select * from buyer_days(date_from, date_to, counties, township, buyer_type, product_category, channel)
where village is null and channel is null
union all
select
    date_trunc('month', p.purchase_date)::date, p.township_code, p.buyer_id, p.buyer_type, p.product_category,
    1::bigint, p.weight_kg, p.amount_yuan,
    if(p.from_poor_village, p.weight_kg, 0), if(p.from_poor_village, p.amount_yuan, 0),
    if(poor_or_cooperative(p.from_poor_village, p.supplier_type), p.weight_kg, 0),
    if(poor_or_cooperative(p.from_poor_village, p.supplier_type), p.amount_yuan, 0)
from filtered_purchases(date_from, date_to, counties, township, village, buyer_type, product_category, channel) as p
where village is not null or channel is not null
