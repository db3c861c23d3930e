-- purpose: Inspection batches and failures per venue type.
-- params: $date_from, $date_to, $counties, $township
select
    i.venue_type,
    count(*) as batches,
    count(*) filter (where i.result = 'fail') as failed
from filtered_inspections($date_from, $date_to, $counties, $township) as i
group by i.venue_type
order by batches desc
