-- purpose: The last day of the part-month at the start of [date_from, date_to] (before its first whole month); before date_from when the range starts on the 1st. The days from date_from to it come from daily sums or rows.
-- params: none
create or replace macro part_head_end(date_from, date_to) as least(date_to, first_whole_month(date_from) - 1)
