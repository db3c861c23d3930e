-- purpose: Events of the scope whose $after_days-th day after they ended falls in the dates, with a signed amount, whose sales made by then are under $under_pct percent of it; the furthest short first.
-- params: $date_from, $date_to, $counties, $township, $after_days, $under_pct
with due as (
    select
        e.* replace (township_in_force(e.township_code, year($date_to)) as township_code),
        e.end_date + to_days(cast($after_days as integer)) as due_date
    from events as e
    where list_contains($counties, e.county_code)
      and e.signed_amount_yuan > 0
      and e.end_date + to_days(cast($after_days as integer)) between $date_from and $date_to
),

realised as (
    select d.event_id, coalesce(sum(s.amount_yuan), 0) as realised_yuan
    from due as d
    left join channel_sales as s
        on s.event_id = d.event_id and s.sale_type = 'actual' and s.sale_date <= d.due_date
    group by d.event_id
),

final as (
    select
        d.event_id,
        d.event_name,
        d.start_date,
        d.end_date,
        d.due_date,
        d.township_code,
        t.township_name,
        d.county_code,
        d.signed_amount_yuan,
        r.realised_yuan,
        r.realised_yuan / d.signed_amount_yuan * 100 as realised_pct
    from due as d
    inner join realised as r on r.event_id = d.event_id
    left join townships as t on t.township_code = d.township_code
    where $township is null or d.township_code = $township
)

select * from final
where realised_pct < $under_pct
order by realised_pct, event_id
