-- purpose: The checked ledger rows an import writes (new rows and updates; not rejected, conflicting or duplicate), in ledger order.
-- params: none
with final as (
    select l.*
    from ledger_rows as l
    anti join outcomes as o on o.position = l.position and o.outcome <> 'update'
)

select * exclude (position) from final order by position
