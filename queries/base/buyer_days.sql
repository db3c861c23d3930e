-- purpose: Purchases of the part-months of a filter without a village (in_part_months) per month and buyer (with township and category), from purchase_buyer_day.
-- params: none
create or replace macro buyer_days(date_from, date_to, counties, township, buyer_type, product_category, channel) as table
select
    date_trunc('month', d.purchase_date)::date as month, d.township_code, d.buyer_id, d.buyer_type,
    d.product_category, d.records, d.weight_kg, d.amount_yuan, d.poor_village_weight_kg, d.poor_village_amount_yuan,
    d.poor_or_coop_weight_kg, d.poor_or_coop_amount_yuan
from purchase_buyer_day as d
where d.year between year(date_from) and year(date_to)   -- the partitions of those years only
  and in_part_months(d.purchase_date, date_from, date_to)
  and in_purchase_filter(d.county_code, d.township_code, d.buyer_type, d.product_category, null,
                         counties, township, buyer_type, product_category, channel)
