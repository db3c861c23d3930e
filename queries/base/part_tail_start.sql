-- purpose: The first day of the part-month at the end of [date_from, date_to] (after its last whole month, and after the head part); after date_to when the range ends on a month's last day. The days from it to date_to come from daily sums or rows.
-- params: none
create or replace macro part_tail_start(date_from, date_to) as
    greatest(date_from, first_whole_month(date_from), end_of_whole_months(date_to))
