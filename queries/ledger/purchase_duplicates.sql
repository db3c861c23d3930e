-- purpose: Positions of checked ledger rows, not repeated within the import, identical in every column but the id to a purchase already in the snapshot.
-- params: none
with unique_rows as (
    select l.*
    from ledger_rows as l
    anti join outcomes as o on o.position = l.position
),

final as (
    select distinct l.position
    from purchases as p
    inner join unique_rows as l
        on p.purchase_date = l.purchase_date
        and p.buyer_id = l.buyer_id
        and p.buyer_type is not distinct from l.buyer_type
        and p.channel is not distinct from l.channel
        and p.supplier_type is not distinct from l.supplier_type
        and p.supplier_name is not distinct from l.supplier_name
        and p.supplier_credit_code is not distinct from l.supplier_credit_code
        and p.township_code is not distinct from l.township_code
        and p.village_code is not distinct from l.village_code
        and p.from_poor_village is not distinct from l.from_poor_village
        and p.product_category is not distinct from l.product_category
        and p.product_name is not distinct from l.product_name
        and p.weight_kg is not distinct from l.weight_kg
        and p.amount_yuan is not distinct from l.amount_yuan
)

select * from final order by position
