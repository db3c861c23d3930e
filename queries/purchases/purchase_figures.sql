-- purpose: The purchase figures of the overview and the purchases page in one query, for a filter and for the same period last year ($last_from, $last_to): `part` total and month of both periods (`period` now, last), channel, buyer_type and township of the filter's; totals and buyer types with their active buyers.
-- params: $date_from, $date_to, $last_from, $last_to, $counties, $township, $village, $buyer_type, $product_category, $channel
with cube as (
    select 'now' as period, c.*
    from purchase_cube($date_from, $date_to, $counties, $township, $village, $buyer_type, $product_category, $channel) as c
    union all
    select 'last' as period, c.*
    from purchase_cube($last_from, $last_to, $counties, $township, $village, $buyer_type, $product_category, $channel) as c
),

sums as (   -- one pass over the summed rows of both periods
    select
        c.period,
        case grouping(c.month, c.channel, c.buyer_type)
            when 7 then 'total' when 3 then 'month' when 5 then 'channel' else 'buyer_type'
        end as part,
        c.month,
        c.channel,
        c.buyer_type,
        sum(c.records)::bigint as records,
        sum(c.weight_kg) as weight_kg,
        sum(c.amount_yuan) as amount_yuan,
        coalesce(sum(c.poor_village_weight_kg), 0) as poor_village_weight_kg,
        coalesce(sum(c.poor_village_amount_yuan), 0) as poor_village_amount_yuan,
        coalesce(sum(c.poor_or_coop_weight_kg), 0) as poor_or_coop_weight_kg,
        coalesce(sum(c.poor_or_coop_amount_yuan), 0) as poor_or_coop_amount_yuan
    from cube as c
    group by grouping sets ((c.period), (c.period, c.month), (c.period, c.channel), (c.period, c.buyer_type))
),

buyers as (
    select 'now' as period, b.buyer_type, b.buyer_id
    from buyer_cube($date_from, $date_to, $counties, $township, $village, $buyer_type, $product_category, $channel) as b
    union all
    select 'last' as period, b.buyer_type, b.buyer_id
    from buyer_cube($last_from, $last_to, $counties, $township, $village, $buyer_type, $product_category, $channel) as b
),

buyer_counts as (
    select
        b.period,
        if(grouping(b.buyer_type) = 1, 'total', 'buyer_type') as part,
        b.buyer_type,
        count(distinct b.buyer_id) as buyers
    from buyers as b
    group by grouping sets ((b.period), (b.period, b.buyer_type))
),

totals as (   -- a period without purchases still has its total row, of zeros
    select periods.period, 'total' as part, 0::bigint as records, 0::double as zero
    from (values ('now'), ('last')) as periods (period)
),

figures as (
    select
        coalesce(s.period, totals.period) as period,
        coalesce(s.part, totals.part) as part,
        s.month,
        s.channel,
        s.buyer_type,
        null::varchar as township_code,
        null::varchar as township_name,
        coalesce(s.records, totals.records) as records,
        coalesce(bc.buyers, 0) as buyers,
        coalesce(s.weight_kg, totals.zero) as weight_kg,
        coalesce(s.amount_yuan, totals.zero) as amount_yuan,
        coalesce(s.poor_village_weight_kg, totals.zero) as poor_village_weight_kg,
        coalesce(s.poor_village_amount_yuan, totals.zero) as poor_village_amount_yuan,
        coalesce(s.poor_or_coop_weight_kg, totals.zero) as poor_or_coop_weight_kg,
        coalesce(s.poor_or_coop_amount_yuan, totals.zero) as poor_or_coop_amount_yuan
    from sums as s
    full join totals on totals.period = s.period and totals.part = s.part
    left join buyer_counts as bc
        on bc.period = coalesce(s.period, totals.period) and bc.part = coalesce(s.part, totals.part)
       and bc.buyer_type is not distinct from s.buyer_type
    where coalesce(s.period, totals.period) = 'now' or coalesce(s.part, totals.part) in ('total', 'month')
),

by_code as (   -- the filter's townships from the same sums, per code as recorded first
    select
        c.township_code,
        sum(c.weight_kg) as weight_kg,
        sum(c.amount_yuan) as amount_yuan,
        sum(c.poor_village_amount_yuan) as poor_village_amount_yuan
    from cube as c
    where c.period = 'now'
    group by c.township_code
),

in_force as (   -- then in the edition of the end date's year (a renamed township's rows under its successor)
    select
        township_in_force(by_code.township_code, year($date_to)) as township_code,
        sum(by_code.weight_kg) as weight_kg,
        sum(by_code.amount_yuan) as amount_yuan,
        sum(by_code.poor_village_amount_yuan) as poor_village_amount_yuan
    from by_code
    group by all
),

by_township as (   -- every township listed, as purchase_townships lists them
    select
        'now' as period, 'township' as part, null::date as month, null::varchar as channel,
        null::varchar as buyer_type, t.township_code, t.township_name, null::bigint as records, null::bigint as buyers,
        coalesce(f.weight_kg, 0) as weight_kg, coalesce(f.amount_yuan, 0) as amount_yuan,
        null::double as poor_village_weight_kg, coalesce(f.poor_village_amount_yuan, 0) as poor_village_amount_yuan,
        null::double as poor_or_coop_weight_kg, null::double as poor_or_coop_amount_yuan
    from townships as t
    left join in_force as f on f.township_code = t.township_code
    where list_contains($counties, t.county_code)
      and (f.township_code is not null or township_listed(t.first_year, t.last_year, t.lng, year($date_to)))
)

select * from figures
union all
select * from by_township
