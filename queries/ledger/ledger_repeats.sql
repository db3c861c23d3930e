-- purpose: Checked ledger rows identical in every column to an earlier row of the same import, with the position of the first such row.
-- params: none
with groups as (
    select
        * exclude (position),
        min(position) as first_position,
        list(position) as positions
    from ledger_rows
    group by all
),

final as (
    select
        unnest(g.positions) as position,
        g.first_position
    from groups as g
)

select * from final where position <> first_position order by position
