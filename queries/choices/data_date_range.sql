-- purpose: First and last dates of the counties' purchases, inspections and cooperative registrations.
-- params: $counties
select 'purchases' as dataset, min(r.month) as first_date, max(last_day(r.month)) as last_date
from purchase_main_month as r
where list_contains($counties, r.county_code)
union all
select 'inspections', min(i.sample_date), max(i.sample_date)
from inspections as i
where list_contains($counties, i.county_code)
union all
select 'cooperatives', min(c.registered_date), max(c.registered_date)
from cooperatives as c
where list_contains($counties, c.county_code)
