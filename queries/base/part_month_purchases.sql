-- purpose: Purchase rows of a filter that a monthly rollup cannot answer: the part-months at either end, and every day of a chosen village when the rollup keeps no villages (`rollup_lacks_village`).
-- params: none
create or replace macro part_month_purchases(date_from, date_to, counties, township, village, buyer_type, product_category,
                                             rollup_lacks_village) as table
select p.*
from filtered_purchases(date_from, date_to, counties, township, village, buyer_type, product_category) as p
where (rollup_lacks_village and village is not null)
   or p.purchase_date < first_whole_month(date_from)
   or p.purchase_date >= end_of_whole_months(date_to)
