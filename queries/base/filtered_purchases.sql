-- purpose: Purchases inside a filter; every purchase query selects from this table macro.
-- params: none
create or replace macro filtered_purchases(date_from, date_to, counties, township, village, buyer_type, product_category) as table
select p.*
from purchases as p
where p.purchase_date between date_from and date_to
  and p.year between year(date_from) and year(date_to)   -- the partitions of those years only
  and list_contains(counties, p.county_code)
  and (township is null or p.township_code = township)
  and (village is null or p.village_code = village)
  and (buyer_type is null or p.buyer_type = buyer_type)
  and (product_category is null or p.product_category = product_category)
