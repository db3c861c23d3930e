-- purpose: The leading buyers of each buyer type ($per_type of each), ranked by amount within the type.
-- params: $date_from, $date_to, $township, $village, $buyer_type, $product_category, $per_type
with ranked as (
    select
        bt.*,
        row_number() over (partition by bt.buyer_type order by bt.amount_yuan desc, bt.buyer_id) as rank_in_type
    from buyer_totals($date_from, $date_to, $township, $village, $buyer_type, $product_category) as bt
)

select * from ranked
where ranked.rank_in_type <= $per_type
order by ranked.amount_yuan desc, ranked.buyer_id
