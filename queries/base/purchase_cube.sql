-- purpose: Purchases of a filter per month and main key (township, buyer type, channel, category) with their sums, from the summed tables: the main sums, or for a village filter the village sums; purchase figures that need no village, product, buyer or single row select from it.
-- params: none
-- The sums are per month: the queries that select from this sum `records`, never count rows.
create or replace macro purchase_cube(date_from, date_to, counties, township, village, buyer_type, product_category, channel) as table
select *
from summed_main(date_from, date_to, counties, township, buyer_type, product_category, channel)
where village is null   -- a bound value: the branch not taken is planned away
union all
select v.* exclude (village_code)
from summed_village(date_from, date_to, counties, township, village, buyer_type, product_category, channel) as v
where village is not null
