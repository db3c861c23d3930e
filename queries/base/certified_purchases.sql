-- purpose: Purchases of the counties from date_from to date_to whose supplier credit code and product name are those of a certified product of the scope certified on the purchase date: they count towards that product's sales (one product each, the latest certified, when certificates overlap).
-- params: none
create or replace macro certified_purchases(date_from, date_to, counties, township) as table
with matched as (
    select
        p.purchase_id,
        p.purchase_date,
        c.product_id,
        c.county_code,
        c.township_code,
        p.supplier_credit_code,
        p.product_name,
        p.amount_yuan
    from purchases as p
    inner join scoped_certified_products(date_to, counties, township) as c
        on c.supplier_credit_code = p.supplier_credit_code
        and c.product_name = p.product_name
        and certified_on(c.certified_date, c.valid_until, c.status, p.purchase_date)
    where list_contains(counties, p.county_code)
      and p.year between year(date_from) and year(date_to)
      and p.purchase_date between date_from and date_to
      and p.supplier_credit_code is not null
    qualify row_number() over (partition by p.purchase_id order by c.certified_date desc, c.product_id) = 1
)

select * from matched
