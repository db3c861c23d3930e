-- purpose: Inspections inside a filter (date range and township); every inspection query selects from it.
-- params: none
create or replace macro filtered_inspections(date_from, date_to, township) as table
select i.*
from inspections as i
where i.sample_date between date_from and date_to
  and (township is null or i.township_code = township)
