-- purpose: One row per county of the scope for the portfolio's map and ranking: purchases, lab and rapid batches and failures, cooperatives in business and new, open unsold-product warnings, and this year's purchase, poor-village and new-cooperative targets; the rows add up to the scope.
-- params: $date_from, $date_to, $counties, $township, $buyer_type, $product_category, $channel
with purchase_sums as (
    select *
    from purchase_counties($date_from, $date_to, $counties, $township, null, $buyer_type, $product_category, $channel) as p
),

inspection_counts as (
    select
        i.county_code,
        count(*) filter (where i.inspection_type = 'lab') as lab_batches,
        count(*) filter (where i.inspection_type = 'rapid') as rapid_test_batches,
        count(*) as batches,
        count(*) filter (where i.result = 'fail') as failed
    from filtered_inspections($date_from, $date_to, $counties, $township) as i
    group by i.county_code
),

cooperative_counts as (
    select
        c.county_code,
        count(*) filter (where in_business(c.registered_date, c.deregistered_date, $date_to)) as cooperatives_total,
        count(*) filter (where c.registered_date between $date_from and $date_to) as cooperatives_new
    from scoped_cooperatives($date_to, $counties, $township, null) as c
    group by c.county_code
),

warned as (   -- open on the end date
    select w.county_code, count(*) as unsold_warnings
    from offer_warnings($date_to, $counties, $township, null, $product_category) as w
    group by w.county_code
),

target_values as (
    select
        tg.county_code,
        max(tg.target_value) filter (where tg.metric = 'purchase_amount_yuan') as target_purchase_amount_yuan,
        max(tg.target_value) filter (where tg.metric = 'poor_village_amount_yuan') as target_poor_village_amount_yuan,
        max(tg.target_value) filter (where tg.metric = 'new_cooperatives') as target_new_cooperatives
    from targets as tg
    where tg.year = year($date_to)
      and list_contains($counties, tg.county_code)
      and length(tg.scope_code) = 6
    group by tg.county_code
)

select
    p.*,
    coalesce(i.lab_batches, 0) as lab_batches,
    coalesce(i.rapid_test_batches, 0) as rapid_test_batches,
    coalesce(i.batches, 0) as batches,
    coalesce(i.failed, 0) as failed,
    coalesce(c.cooperatives_total, 0) as cooperatives_total,
    coalesce(c.cooperatives_new, 0) as cooperatives_new,
    coalesce(w.unsold_warnings, 0) as unsold_warnings,
    target_values.* exclude (county_code)
from purchase_sums as p
left join inspection_counts as i on i.county_code = p.county_code
left join cooperative_counts as c on c.county_code = p.county_code
left join warned as w on w.county_code = p.county_code
left join target_values on target_values.county_code = p.county_code
order by p.county_code
