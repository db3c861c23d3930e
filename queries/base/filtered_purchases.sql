-- purpose: Purchases inside a filter; every query of single rows selects from this table macro.
-- params: none
create or replace macro filtered_purchases(date_from, date_to, counties, township, village, buyer_type, product_category, channel) as table
select p.*
from purchases as p
where p.purchase_date between date_from and date_to
  and p.year between year(date_from) and year(date_to)   -- the partitions of those years only
  and in_purchase_filter(p.county_code, p.township_code, p.buyer_type, p.product_category, p.channel,
                         counties, township, buyer_type, product_category, channel)
  and (village is null or p.village_code = village)
