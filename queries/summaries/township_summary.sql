-- purpose: One row per township of the end date's year edition for the map: purchases, lab and rapid batches and failures, cooperatives in business and new, open unsold-product warnings, and this year's purchase, poor-village and new-cooperative targets; a township with any figure has a row, so the rows add up to the county.
-- params: $date_from, $date_to, $counties, $township, $buyer_type, $product_category, $channel
with purchase_sums as (
    select *
    from purchase_townships($date_from, $date_to, $counties, $township, null, $buyer_type, $product_category, $channel) as p
),

inspection_counts as (
    select
        i.township_code,
        count(*) filter (where i.inspection_type = 'lab') as lab_batches,
        count(*) filter (where i.inspection_type = 'rapid') as rapid_test_batches,
        count(*) filter (where i.result = 'fail') as failed
    from filtered_inspections($date_from, $date_to, $counties, $township) as i
    group by i.township_code
),

cooperative_counts as (
    select
        c.township_code,
        count(*) filter (where in_business(c.registered_date, c.deregistered_date, $date_to)) as cooperatives_total,
        count(*) filter (where c.registered_date between $date_from and $date_to) as cooperatives_new
    from scoped_cooperatives($date_to, $counties, $township, null) as c
    group by c.township_code
    having cooperatives_total > 0 or cooperatives_new > 0
),

warned as (   -- open on the end date
    select w.township_code, count(*) as unsold_warnings
    from offer_warnings($date_to, $counties, $township, null, $product_category) as w
    group by w.township_code
),

target_values as (
    select
        tg.scope_code as township_code,
        max(tg.target_value) filter (where tg.metric = 'purchase_amount_yuan') as target_purchase_amount_yuan,
        max(tg.target_value) filter (where tg.metric = 'poor_village_amount_yuan') as target_poor_village_amount_yuan,
        max(tg.target_value) filter (where tg.metric = 'new_cooperatives') as target_new_cooperatives
    from targets as tg
    where tg.year = year($date_to)
      and list_contains($counties, tg.county_code)
      and length(tg.scope_code) = 9
      and ($township is null or tg.scope_code = $township)
    group by tg.scope_code
),

final as (
    select
        coalesce(p.township_code, i.township_code, c.township_code, w.township_code) as township_code,
        coalesce(p.township_name, t.township_name) as township_name,
        coalesce(p.weight_kg, 0) as weight_kg,
        coalesce(p.amount_yuan, 0) as amount_yuan,
        coalesce(p.poor_village_amount_yuan, 0) as poor_village_amount_yuan,
        coalesce(i.lab_batches, 0) as lab_batches,
        coalesce(i.rapid_test_batches, 0) as rapid_test_batches,
        coalesce(i.failed, 0) as failed,
        coalesce(c.cooperatives_total, 0) as cooperatives_total,
        coalesce(c.cooperatives_new, 0) as cooperatives_new,
        coalesce(w.unsold_warnings, 0) as unsold_warnings
    from purchase_sums as p
    full join inspection_counts as i on i.township_code = p.township_code
    full join cooperative_counts as c on c.township_code = coalesce(p.township_code, i.township_code)
    full join warned as w on w.township_code = coalesce(p.township_code, i.township_code, c.township_code)
    left join townships as t
        on t.township_code = coalesce(p.township_code, i.township_code, c.township_code, w.township_code)
)

select final.*, target_values.* exclude (township_code)
from final
left join target_values on target_values.township_code = final.township_code
order by final.township_code
