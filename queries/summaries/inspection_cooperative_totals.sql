-- purpose: The headline's inspection and cooperative figures of a filter and of the same period last year ($last_from, $last_to), one row per `period` (now, last): batches and failures, cooperatives in business, new and deregistered, and their members.
-- params: $date_from, $date_to, $last_from, $last_to, $counties, $township, $village
with periods as (
    select * from (values ('now', $date_from::date, $date_to::date), ('last', $last_from::date, $last_to::date))
        as p (period, date_from, date_to)
),

inspections as (
    select 'now' as period, i.inspection_type, i.result
    from filtered_inspections($date_from, $date_to, $counties, $township) as i
    union all
    select 'last' as period, i.inspection_type, i.result
    from filtered_inspections($last_from, $last_to, $counties, $township) as i
),

inspection_counts as (
    select
        p.period,
        count(i.period) filter (where i.inspection_type = 'lab') as lab_batches,
        count(i.period) filter (where i.inspection_type = 'lab' and i.result = 'fail') as lab_failed,
        count(i.period) filter (where i.inspection_type = 'rapid') as rapid_test_batches,
        count(i.period) filter (where i.inspection_type = 'rapid' and i.result = 'fail') as rapid_failed,
        count(i.period) as batches,
        count(i.period) filter (where i.result = 'fail') as failed
    from periods as p
    left join inspections as i on i.period = p.period
    group by p.period
),

cooperatives as (   -- their township in the edition of each period's end year
    select 'now' as period, c.registered_date, c.deregistered_date, c.members, c.poor_household_members
    from scoped_cooperatives($date_to, $counties, $township, $village) as c
    union all
    select 'last' as period, c.registered_date, c.deregistered_date, c.members, c.poor_household_members
    from scoped_cooperatives($last_to, $counties, $township, $village) as c
),

cooperative_counts as (
    select
        p.period,
        count(c.period) filter (where in_business(c.registered_date, c.deregistered_date, p.date_to))
            as cooperatives_total,
        count(c.period) filter (where c.registered_date between p.date_from and p.date_to) as cooperatives_new,
        count(c.period) filter (where c.deregistered_date between p.date_from and p.date_to)
            as cooperatives_deregistered,
        coalesce(sum(c.members) filter (where in_business(c.registered_date, c.deregistered_date, p.date_to)), 0)
            as members,
        coalesce(sum(c.poor_household_members)
                 filter (where in_business(c.registered_date, c.deregistered_date, p.date_to)), 0)
            as poor_household_members
    from periods as p
    left join cooperatives as c on c.period = p.period
    group by p.period
)

select i.*, c.* exclude (period)
from inspection_counts as i
join cooperative_counts as c on c.period = i.period
