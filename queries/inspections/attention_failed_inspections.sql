-- purpose: Failed inspection batches of a filter per failed item and township (in the edition of the end date's year), most first: what the attention list names.
-- params: $date_from, $date_to, $counties, $township
select
    i.failed_item,
    i.county_code,
    i.township_code,
    t.township_name,
    count(*) as failed
from filtered_inspections($date_from, $date_to, $counties, $township) as i
left join townships as t on t.township_code = i.township_code
where i.result = 'fail'
group by i.failed_item, i.county_code, i.township_code, t.township_name
order by failed desc, i.failed_item, i.township_code
