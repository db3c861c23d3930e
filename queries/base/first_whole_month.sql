-- purpose: The first day of the first whole calendar month on or after a date (the rollups answer from there).
-- params: none
create or replace macro first_whole_month(day) as (date_trunc('month', day - 1) + interval 1 month)::date
