-- purpose: Inspection batches of a filter: lab sampling and rapid tests, with failures.
-- params: $date_from, $date_to, $counties, $township
select
    count(*) filter (where i.inspection_type = 'lab') as lab_batches,
    count(*) filter (where i.inspection_type = 'lab' and i.result = 'fail') as lab_failed,
    count(*) filter (where i.inspection_type = 'rapid') as rapid_test_batches,
    count(*) filter (where i.inspection_type = 'rapid' and i.result = 'fail') as rapid_failed,
    count(*) as batches,
    count(*) filter (where i.result = 'fail') as failed
from filtered_inspections($date_from, $date_to, $counties, $township) as i
