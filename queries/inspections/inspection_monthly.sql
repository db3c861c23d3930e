-- purpose: Inspection batches per month and inspection type.
-- params: $date_from, $date_to, $counties, $township
select
    date_trunc('month', i.sample_date)::date as month,
    count(*) filter (where i.inspection_type = 'lab') as lab_batches,
    count(*) filter (where i.inspection_type = 'rapid') as rapid_test_batches,
    count(*) filter (where i.result = 'fail') as failed
from filtered_inspections($date_from, $date_to, $counties, $township) as i
group by month
order by month
