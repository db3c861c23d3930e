-- purpose: The scope's certified products as the register holds them (every status; whether each counts on the end date), searchable by name, id, supplier or credit code ($search null = all), the latest certified first.
-- params: $date_to, $counties, $township, $search, $limit, $offset
select
    c.product_id,
    c.product_name,
    c.product_category,
    c.supplier_name,
    c.supplier_credit_code,
    t.township_name,
    c.certified_date,
    c.valid_until,
    c.status as certification_status,   -- "status" is a task's progress (任务与投入)
    certified_on(c.certified_date, c.valid_until, c.status, $date_to) as counted,
    c.product_value_yuan,
    c.checks_passed,
    c.county_code,
    c.township_code
from scoped_certified_products($date_to, $counties, $township) as c
left join townships as t on t.township_code = c.township_code
where c.certified_date <= $date_to
  and ($search is null
       or contains(c.product_name, $search) or contains(c.product_id, $search)
       or contains(c.supplier_name, $search) or contains(c.supplier_credit_code, upper($search)))
order by c.certified_date desc, c.product_id
limit $limit offset $offset
