-- purpose: Inspection batches and failures per township, in the edition of the end date's year.
-- params: $date_from, $date_to, $counties, $township
select
    i.township_code,
    t.township_name,
    count(*) filter (where i.inspection_type = 'lab') as lab_batches,
    count(*) filter (where i.inspection_type = 'rapid') as rapid_test_batches,
    count(*) as batches,
    count(*) filter (where i.result = 'fail') as failed
from filtered_inspections($date_from, $date_to, $counties, $township) as i
left join townships as t on t.township_code = i.township_code
group by i.township_code, t.township_name
order by i.township_code
