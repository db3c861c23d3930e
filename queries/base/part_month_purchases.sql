-- purpose: Purchase rows of a filter that the monthly buyer and supplier rollups cannot answer: the part-months at either end (each a plain date range, so that only its row groups are read), and every day of a chosen village (those rollups keep no villages).
-- params: none
create or replace macro part_month_purchases(date_from, date_to, counties, township, village, buyer_type, product_category) as table
select *
from filtered_purchases(date_from, part_head_end(date_from, date_to), counties, township, village, buyer_type,
                        product_category)
where village is null
union all
select *
from filtered_purchases(part_tail_start(date_from, date_to), date_to, counties, township, village, buyer_type,
                        product_category)
where village is null
union all
select *
from filtered_purchases(date_from, date_to, counties, township, village, buyer_type, product_category)
where village is not null
