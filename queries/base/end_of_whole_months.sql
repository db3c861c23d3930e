-- purpose: The day after the last whole calendar month that ends on or before a date (the rollups answer up to there).
-- params: none
create or replace macro end_of_whole_months(day) as date_trunc('month', day + 1)::date
