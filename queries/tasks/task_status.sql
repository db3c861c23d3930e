-- purpose: Each task of the counties' plans as it stood on $date_to (with a township: the tasks naming it among their units): its latest update by then, the day it was first reported done, and whether it is overdue (past its deadline and not done), stale (not done and not updated for more than 30 days) or was done late.
-- params: $counties, $township, $date_to
with named as (
    select w.township_name
    from townships as w
    where w.township_code = $township
),

updates as (
    select t.*
    from tasks as t
    where list_contains($counties, t.county_code)
      and t.update_date <= $date_to
      and ($township is null or exists (
          select 1
          from named as n
          where contains(t.lead_units, n.township_name) or contains(coalesce(t.support_units, ''), n.township_name)
      ))
),

history as (
    select
        u.county_code,
        u.plan_name,
        u.task_no,
        min(u.update_date) filter (where u.status = 'done') as done_on,
        count(*) as updates
    from updates as u
    group by all
),

latest as (
    select u.*
    from updates as u
    qualify row_number() over (partition by u.county_code, u.plan_name, u.task_no order by u.update_date desc) = 1
),

final as (
    select
        l.county_code,
        l.plan_name,
        l.plan_issuer,
        l.plan_issued_on,
        l.task_no,
        l.section,
        l.task_text,
        l.lead_units,
        l.support_units,
        l.due_on,
        l.long_term,
        l.status,
        l.progress_note,
        l.update_date,
        l.evidence,
        h.done_on,
        h.updates,
        date_diff('day', l.update_date, $date_to) as days_since_update,
        coalesce(l.status <> 'done' and l.due_on < $date_to, false) as overdue,
        case when l.status <> 'done' and l.due_on < $date_to then date_diff('day', l.due_on, $date_to) end
            as days_overdue,
        l.status <> 'done' and date_diff('day', l.update_date, $date_to) > 30 as stale,   -- tasks_inputs.STALE_DAYS
        coalesce(l.status = 'done' and h.done_on > l.due_on, false) as done_late
    from latest as l
    inner join history as h
        on h.county_code = l.county_code and h.plan_name = l.plan_name and h.task_no = l.task_no
)

select * from final order by county_code, plan_name, task_no
