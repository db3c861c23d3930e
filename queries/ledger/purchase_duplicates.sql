-- purpose: Positions of ledger rows identical, in every column but the id, to a purchase already in the snapshot.
-- params: $purchase_date, $buyer_id, $buyer_type, $channel, $supplier_type, $supplier_name, $supplier_credit_code, $township_code, $village_code, $from_poor_village, $product_category, $product_name, $weight_kg, $amount_yuan
with ledger as (
    select
        unnest(range(len($purchase_date::date[]))) as position,
        unnest($purchase_date::date[]) as purchase_date,
        unnest($buyer_id::varchar[]) as buyer_id,
        unnest($buyer_type::varchar[]) as buyer_type,
        unnest($channel::varchar[]) as channel,
        unnest($supplier_type::varchar[]) as supplier_type,
        unnest($supplier_name::varchar[]) as supplier_name,
        unnest($supplier_credit_code::varchar[]) as supplier_credit_code,
        unnest($township_code::varchar[]) as township_code,
        unnest($village_code::varchar[]) as village_code,
        unnest($from_poor_village::boolean[]) as from_poor_village,
        unnest($product_category::varchar[]) as product_category,
        unnest($product_name::varchar[]) as product_name,
        unnest($weight_kg::double[]) as weight_kg,
        unnest($amount_yuan::double[]) as amount_yuan
),

final as (
    select distinct l.position
    from purchases as p
    inner join ledger as l
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
