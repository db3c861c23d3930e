-- purpose: Failed batches per failed item and food category, most frequent first.
-- params: $date_from, $date_to, $counties, $township
select
    i.failed_item,
    i.food_category,
    count(*) as failed
from filtered_inspections($date_from, $date_to, $counties, $township) as i
where i.result = 'fail'
group by i.failed_item, i.food_category
order by failed desc, i.failed_item
