-- purpose: Products certified on the end date per product category: products, suppliers and product value, the largest value first.
-- params: $date_to, $counties, $township
select
    c.product_category,
    count(*) as certified_products,
    count(distinct c.supplier_credit_code) as suppliers,
    sum(c.product_value_yuan) as product_value_yuan
from scoped_certified_products($date_to, $counties, $township) as c
where certified_on(c.certified_date, c.valid_until, c.status, $date_to)
group by c.product_category
order by product_value_yuan desc, c.product_category
