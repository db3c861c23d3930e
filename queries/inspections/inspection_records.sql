-- purpose: Inspection records of a filter with township names, newest first ($only_failed limits to failures).
-- params: $date_from, $date_to, $counties, $township, $only_failed, $limit, $offset
select
    i.inspection_id,
    i.sample_date,
    i.inspection_type,
    i.food_category,
    i.product_name,
    i.venue_type,
    i.venue_name,
    t.township_name,
    i.result,
    i.failed_item
from filtered_inspections($date_from, $date_to, $counties, $township) as i
left join townships as t on t.township_code = i.township_code
where not $only_failed or i.result = 'fail'
order by i.sample_date desc, i.inspection_id desc
limit $limit offset $offset
