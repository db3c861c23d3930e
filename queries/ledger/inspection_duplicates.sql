-- purpose: Positions of checked ledger rows, not repeated within the import, identical in every column but the id to an inspection already in the snapshot.
-- params: none
with unique_rows as (
    select l.*
    from ledger_rows as l
    anti join outcomes as o on o.position = l.position
),

final as (
    select distinct l.position
    from inspections as i
    inner join unique_rows as l
        on i.sample_date = l.sample_date
        and i.inspection_type is not distinct from l.inspection_type
        and i.food_category is not distinct from l.food_category
        and i.product_name is not distinct from l.product_name
        and i.venue_type is not distinct from l.venue_type
        and i.venue_name is not distinct from l.venue_name
        and i.township_code is not distinct from l.township_code
        and i.result is not distinct from l.result
        and i.failed_item is not distinct from l.failed_item
)

select * from final order by position
