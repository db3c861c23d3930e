-- purpose: Sales of the scope's certified products from the start to the end date per channel (专柜、专区、专馆 by the outlet's kind, an event, another channel of the sales ledger, or the purchase ledger): made and signed.
-- params: $date_from, $date_to, $counties, $township
with ledger_rows as (
    select
        case
            when s.outlet_id is not null then coalesce(o.kind, 'other')
            when s.event_id is not null then 'event'
            else 'other'
        end as sale_channel,
        s.sale_type,
        s.amount_yuan
    from counted_channel_sales($date_from, $date_to, $counties, $township) as s
    left join outlets as o on o.outlet_id = s.outlet_id
),

final as (
    select
        r.sale_channel,
        coalesce(sum(r.amount_yuan) filter (where r.sale_type = 'actual'), 0) as sales_yuan,
        coalesce(sum(r.amount_yuan) filter (where r.sale_type = 'signed'), 0) as signed_sales_yuan
    from ledger_rows as r
    group by r.sale_channel
    union all
    select 'purchases', sum(b.amount_yuan), 0
    from certified_purchases($date_from, $date_to, $counties, $township) as b
    having count(*) > 0
)

select * from final
order by case sale_channel when 'counter' then 0 when 'zone' then 1 when 'hall' then 2 when 'event' then 3
         when 'other' then 4 else 5 end
