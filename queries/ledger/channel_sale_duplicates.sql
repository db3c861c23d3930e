-- purpose: Positions of checked ledger rows, not repeated within the import, identical in every column but the id to a channel sale already in the snapshot.
-- params: none
with unique_rows as (
    select l.*
    from ledger_rows as l
    anti join outcomes as o on o.position = l.position
),

final as (
    select distinct l.position
    from channel_sales as s
    inner join unique_rows as l
        on s.sale_date = l.sale_date
        and s.product_id = l.product_id
        and s.township_code is not distinct from l.township_code
        and s.outlet_id is not distinct from l.outlet_id
        and s.event_id is not distinct from l.event_id
        and s.channel is not distinct from l.channel
        and s.sale_type is not distinct from l.sale_type
        and s.buyer_name is not distinct from l.buyer_name
        and s.amount_yuan is not distinct from l.amount_yuan
)

select * from final order by position
