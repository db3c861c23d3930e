-- purpose: The sales-ledger rows of the scope's certified products from date_from to date_to as they count: a sale made (actual) that repeats a certified purchase (same day, supplier credit code, product name and amount) is that purchase, counted once in purchases and left out here; signed rows all count as signed.
-- params: none
create or replace macro counted_channel_sales(date_from, date_to, counties, township) as table
with in_scope as (
    select
        s.* replace (c.township_code as township_code),
        c.product_name,
        c.supplier_name,
        c.supplier_credit_code
    from channel_sales as s
    inner join scoped_certified_products(date_to, counties, township) as c on c.product_id = s.product_id
    where list_contains(counties, s.county_code)
      and s.year between year(date_from) and year(date_to)
      and s.sale_date between date_from and date_to
),

bought as (
    select * from certified_purchases(date_from, date_to, counties, township)
),

final as (
    select s.*
    from in_scope as s
    where s.sale_type = 'signed'
       or not exists (
           select 1
           from bought as b
           where b.purchase_date = s.sale_date
             and b.supplier_credit_code = s.supplier_credit_code
             and b.product_name = s.product_name
             and b.amount_yuan = s.amount_yuan
       )
)

select * from final
