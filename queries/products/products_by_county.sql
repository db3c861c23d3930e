-- purpose: One row per county of the scope: products certified on the end date, their value, sales made from the start to the end date, outlets in service (for the map of a scope of several counties).
-- params: $date_from, $date_to, $counties, $township
with certified as (
    select c.county_code, count(*) as certified_products, sum(c.product_value_yuan) as product_value_yuan
    from scoped_certified_products($date_to, $counties, $township) as c
    where certified_on(c.certified_date, c.valid_until, c.status, $date_to)
    group by c.county_code
),

made as (
    select s.county_code, sum(s.amount_yuan) as sales_yuan
    from (
        select x.county_code, x.amount_yuan
        from counted_channel_sales($date_from, $date_to, $counties, $township) as x
        where x.sale_type = 'actual'
        union all
        select b.county_code, b.amount_yuan
        from certified_purchases($date_from, $date_to, $counties, $township) as b
    ) as s
    group by s.county_code
),

in_service as (
    select o.county_code, count(*) as outlets
    from scoped_outlets($date_to, $counties, $township) as o
    where o.stage_on in ('landed', 'built')
    group by o.county_code
),

final as (
    select
        k.county_code,
        k.county_name,
        coalesce(c.certified_products, 0) as certified_products,
        coalesce(c.product_value_yuan, 0) as product_value_yuan,
        coalesce(m.sales_yuan, 0) as sales_yuan,
        coalesce(i.outlets, 0) as outlets
    from counties as k
    left join certified as c on c.county_code = k.county_code
    left join made as m on m.county_code = k.county_code
    left join in_service as i on i.county_code = k.county_code
    where list_contains($counties, k.county_code)
)

select * from final order by county_code
