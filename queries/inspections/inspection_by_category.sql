-- purpose: Inspection batches and failures per inspection type and food category.
-- params: $date_from, $date_to, $counties, $township
select
    i.inspection_type,
    i.food_category,
    count(*) as batches,
    count(*) filter (where i.result = 'fail') as failed
from filtered_inspections($date_from, $date_to, $counties, $township) as i
group by i.inspection_type, i.food_category
order by i.inspection_type, batches desc
