-- purpose: Positions of checked ledger rows, not repeated within the import, identical in every column but the id to an offer already in the snapshot.
-- params: none
with unique_rows as (
    select l.*
    from ledger_rows as l
    anti join outcomes as o on o.position = l.position
),

final as (
    select distinct l.position
    from offers as f
    inner join unique_rows as l
        on f.harvest_from = l.harvest_from
        and f.township_code is not distinct from l.township_code
        and f.village_code is not distinct from l.village_code
        and f.supplier_type is not distinct from l.supplier_type
        and f.supplier_name is not distinct from l.supplier_name
        and f.supplier_credit_code is not distinct from l.supplier_credit_code
        and f.product_category is not distinct from l.product_category
        and f.product_name is not distinct from l.product_name
        and f.quantity_kg is not distinct from l.quantity_kg
        and f.expected_price_yuan_per_kg is not distinct from l.expected_price_yuan_per_kg
        and f.harvest_to is not distinct from l.harvest_to
        and f.keeps_days is not distinct from l.keeps_days
        and f.contact_name is not distinct from l.contact_name
        and f.contact_phone is not distinct from l.contact_phone
)

select * from final order by position
