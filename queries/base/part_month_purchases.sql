-- purpose: Purchase rows of a filter that the monthly buyer and supplier rollups cannot answer: the part-months at either end (in_part_months: one scan of their row groups), and every day of a chosen village (those rollups keep no villages).
-- params: none
create or replace macro part_month_purchases(date_from, date_to, counties, township, village, buyer_type, product_category) as table
select *
from filtered_purchases(date_from, date_to, counties, township, village, buyer_type, product_category) as p
where village is not null or in_part_months(p.purchase_date, date_from, date_to)
