-- purpose: Positions of ledger rows identical, in every column but the id, to an inspection already in the snapshot.
-- params: $sample_date, $inspection_type, $food_category, $product_name, $venue_type, $venue_name, $township_code, $result, $failed_item
with ledger as (
    select
        unnest(range(len($sample_date::date[]))) as position,
        unnest($sample_date::date[]) as sample_date,
        unnest($inspection_type::varchar[]) as inspection_type,
        unnest($food_category::varchar[]) as food_category,
        unnest($product_name::varchar[]) as product_name,
        unnest($venue_type::varchar[]) as venue_type,
        unnest($venue_name::varchar[]) as venue_name,
        unnest($township_code::varchar[]) as township_code,
        unnest($result::varchar[]) as result,
        unnest($failed_item::varchar[]) as failed_item
),

final as (
    select distinct l.position
    from inspections as i
    inner join ledger as l
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
