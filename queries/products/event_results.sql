-- purpose: The scope's events begun from the start to the end date: what was signed there and what its sales made came to by 60 days after it ended (or the end date, when sooner), the latest first.
-- params: $date_from, $date_to, $counties, $township
with scoped as (
    select e.* replace (township_in_force(e.township_code, year($date_to)) as township_code)
    from events as e
    where list_contains($counties, e.county_code)
      and e.start_date between $date_from and $date_to
),

realised as (
    select s.event_id, sum(s.amount_yuan) as realised_yuan
    from channel_sales as s
    inner join scoped as e on e.event_id = s.event_id
    where s.sale_type = 'actual'
      and s.sale_date <= least(e.end_date + interval 60 day, $date_to)
    group by s.event_id
),

final as (
    select
        e.event_id,
        e.event_name,
        e.event_kind,
        e.start_date,
        e.end_date,
        e.place,
        t.township_name,
        e.organiser,
        e.participants,
        e.signed_amount_yuan,
        coalesce(r.realised_yuan, 0) as realised_yuan,
        coalesce(r.realised_yuan, 0) / nullif(e.signed_amount_yuan, 0) * 100 as realised_pct,
        e.county_code,
        e.township_code
    from scoped as e
    left join realised as r on r.event_id = e.event_id
    left join townships as t on t.township_code = e.township_code
    where $township is null or e.township_code = $township
)

select * from final order by start_date desc, event_id
