-- purpose: One row per township of a county listed on the map in the end date's year (and any other holding figures), the figures of $township only when given (the others drawn without them): products certified on the end date, their value, sales made from the start to the end date, outlets in service.
-- params: $date_from, $date_to, $counties, $township
with certified as (
    select c.township_code, count(*) as certified_products, sum(c.product_value_yuan) as product_value_yuan
    from scoped_certified_products($date_to, $counties, $township) as c
    where certified_on(c.certified_date, c.valid_until, c.status, $date_to)
    group by c.township_code
),

made as (
    select s.township_code, sum(s.amount_yuan) as sales_yuan
    from (
        select x.township_code, x.amount_yuan
        from counted_channel_sales($date_from, $date_to, $counties, $township) as x
        where x.sale_type = 'actual'
        union all
        select b.township_code, b.amount_yuan
        from certified_purchases($date_from, $date_to, $counties, $township) as b
    ) as s
    group by s.township_code
),

in_service as (
    select o.township_code, count(*) as outlets
    from scoped_outlets($date_to, $counties, $township) as o
    where o.stage_on in ('landed', 'built')
    group by o.township_code
),

listed as (
    select t.township_code
    from townships as t
    where list_contains($counties, t.county_code)
      and township_listed(t.first_year, t.last_year, t.lng, year($date_to))
    union
    select township_code from certified
    union
    select township_code from made
    union
    select township_code from in_service
),

final as (
    select
        l.township_code,
        t.township_name,
        coalesce(c.certified_products, 0) as certified_products,
        coalesce(c.product_value_yuan, 0) as product_value_yuan,
        coalesce(m.sales_yuan, 0) as sales_yuan,
        coalesce(i.outlets, 0) as outlets
    from listed as l
    left join townships as t on t.township_code = l.township_code
    left join certified as c on c.township_code = l.township_code
    left join made as m on m.township_code = l.township_code
    left join in_service as i on i.township_code = l.township_code
)

select * from final order by township_code
