-- purpose: Inspections inside a filter (date range and township), their township in the edition of the end date's year; every inspection query selects from it.
-- params: none
create or replace macro filtered_inspections(date_from, date_to, counties, township) as table
with in_force as (
    select i.* replace (township_in_force(i.township_code, year(date_to)) as township_code)
    from inspections as i
    where i.sample_date between date_from and date_to
      and i.year between year(date_from) and year(date_to)   -- the partitions of those years only
      and list_contains(counties, i.county_code)
)

select *
from in_force as i
where township is null or i.township_code = township
