-- purpose: Purchases of a filter per month, village and main key (every village, or the filter's): whole months from purchase_village_month, the part-months at either end from purchase_village_day.
-- params: none
create or replace macro summed_village(date_from, date_to, counties, township, village, buyer_type, product_category, channel) as table
select
    m.month, m.county_code, m.township_code, m.village_code, m.buyer_type, m.channel, m.product_category,
    m.records, m.weight_kg, m.amount_yuan, m.poor_village_weight_kg, m.poor_village_amount_yuan,
    m.poor_or_coop_weight_kg, m.poor_or_coop_amount_yuan
from purchase_village_month as m
where m.year between year(date_from) and year(date_to)   -- the partitions of those years only
  and in_whole_months(m.month, date_from, date_to)
  and in_purchase_filter(m.county_code, m.township_code, m.buyer_type, m.product_category, m.channel,
                         counties, township, buyer_type, product_category, channel)
  and (village is null or m.village_code = village)
union all   -- the part-months at either end: one scan of their row groups
select * from summed_village_days(date_from, date_to, counties, township, village, buyer_type, product_category, channel)
