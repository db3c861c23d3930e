-- purpose: One outlet of the scope: its sales per month (made and signed) up to the end date, from the start of the end date's year.
-- params: $date_to, $counties, $township, $outlet
select
    date_trunc('month', s.sale_date) as month,
    coalesce(sum(s.amount_yuan) filter (where s.sale_type = 'actual'), 0) as sales_yuan,
    coalesce(sum(s.amount_yuan) filter (where s.sale_type = 'signed'), 0) as signed_sales_yuan,
    count(*) as records
from channel_sales as s
inner join scoped_outlets($date_to, $counties, $township) as o on o.outlet_id = s.outlet_id
where s.outlet_id = $outlet
  and s.sale_date between make_date(year($date_to), 1, 1) and $date_to
group by all
order by month
