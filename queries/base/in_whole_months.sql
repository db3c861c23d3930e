-- purpose: Whether a month (its first day) is one of the whole calendar months of [date_from, date_to], which the monthly sums answer.
-- params: none
create or replace macro in_whole_months(month, date_from, date_to) as
    month >= first_whole_month(date_from) and month < end_of_whole_months(date_to)
