-- purpose: First and last dates of purchases, inspections and cooperative registrations in the snapshot.
-- params: none
select 'purchases' as dataset, min(purchase_date) as first_date, max(purchase_date) as last_date
from purchases
union all
select 'inspections', min(sample_date), max(sample_date) from inspections
union all
select 'cooperatives', min(registered_date), max(registered_date) from cooperatives
