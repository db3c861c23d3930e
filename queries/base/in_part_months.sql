-- purpose: Whether a day lies in the part-months of [date_from, date_to] (before its first whole month or after its last), which the daily sums or the rows answer: one OR of two date ranges, so that a scan reads only their row groups.
-- params: none
create or replace macro in_part_months(day, date_from, date_to) as
    day between date_from and part_head_end(date_from, date_to)
    or day between part_tail_start(date_from, date_to) and date_to
