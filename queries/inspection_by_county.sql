-- purpose: Inspection batches and failures per county of the scope.
-- params: $date_from, $date_to, $counties, $township
select
    i.county_code,
    count(*) filter (where i.inspection_type = 'lab') as lab_batches,
    count(*) filter (where i.inspection_type = 'rapid') as rapid_test_batches,
    count(*) as batches,
    count(*) filter (where i.result = 'fail') as failed
from filtered_inspections($date_from, $date_to, $counties, $township) as i
group by i.county_code
order by i.county_code
