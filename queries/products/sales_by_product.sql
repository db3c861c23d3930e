-- purpose: Sales of each certified product of the scope from the start to the end date (made: the sales ledger and certified purchases; signed), the most sold first.
-- params: $date_from, $date_to, $counties, $township
with made as (
    select s.product_id, s.amount_yuan as channel_yuan, 0.0 as purchases_yuan, 0.0 as signed_yuan
    from counted_channel_sales($date_from, $date_to, $counties, $township) as s
    where s.sale_type = 'actual'
    union all
    select s.product_id, 0.0, 0.0, s.amount_yuan
    from counted_channel_sales($date_from, $date_to, $counties, $township) as s
    where s.sale_type = 'signed'
    union all
    select b.product_id, 0.0, b.amount_yuan, 0.0
    from certified_purchases($date_from, $date_to, $counties, $township) as b
),

final as (
    select
        m.product_id,
        c.product_name,
        c.product_category,
        c.supplier_name,
        sum(m.channel_yuan) + sum(m.purchases_yuan) as sales_yuan,
        sum(m.channel_yuan) as channel_sales_yuan,
        sum(m.purchases_yuan) as purchase_sales_yuan,
        sum(m.signed_yuan) as signed_sales_yuan
    from made as m
    inner join certified_products as c on c.product_id = m.product_id
    group by all
)

select * from final order by sales_yuan desc, signed_sales_yuan desc, product_id
