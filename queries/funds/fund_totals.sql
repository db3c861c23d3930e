-- purpose: Help funds of the counties (of the township, when one is given) dated $date_from to $date_to, per kind and in all (fund_kind null): yuan, items, distinct sources, and distinct donors of money or goods.
-- params: $counties, $township, $date_from, $date_to
select
    f.fund_kind,
    sum(f.amount_yuan) as amount_yuan,
    count(*) as items,
    count(distinct f.source_name) as sources,
    count(distinct f.source_name) filter (where f.fund_kind in ('donated_money', 'donated_goods')) as donors
from help_funds as f
where list_contains($counties, f.county_code)
  and f.fund_date between $date_from and $date_to
  and ($township is null or f.township_code = $township)
group by grouping sets ((f.fund_kind), ())
order by f.fund_kind nulls first
