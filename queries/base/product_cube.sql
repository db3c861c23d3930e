-- purpose: Purchases of a filter per month and product (with township, buyer type and category): whole months from purchase_product_month, the part-months from purchase_product_day; a village or channel filter, which these sums do not keep, from the rows (records = 1 each).
-- params: none
create or replace macro product_cube(date_from, date_to, counties, township, village, buyer_type, product_category, channel) as table
select
    m.month, m.county_code, m.township_code, m.buyer_type, m.product_category, m.product_name,
    m.records, m.weight_kg, m.amount_yuan
from purchase_product_month as m
where village is null and channel is null   -- these sums keep no channel
  and m.year between year(date_from) and year(date_to)   -- the partitions of those years only
  and in_whole_months(m.month, date_from, date_to)
  and in_purchase_filter(m.county_code, m.township_code, m.buyer_type, m.product_category, null,
                         counties, township, buyer_type, product_category, channel)
union all   -- the part-months at either end: one scan of their row groups
select * from product_days(date_from, date_to, counties, township, buyer_type, product_category, channel)
where village is null and channel is null
union all
select
    date_trunc('month', p.purchase_date)::date, p.county_code, p.township_code, p.buyer_type, p.product_category,
    p.product_name, 1::bigint, p.weight_kg, p.amount_yuan
from filtered_purchases(date_from, date_to, counties, township, village, buyer_type, product_category, channel) as p
where village is not null or channel is not null
