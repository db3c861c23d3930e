-- purpose: Help funds of the counties (of the township, when one is given) dated $date_from to $date_to, summed per county, kind, purpose and month.
-- params: $counties, $township, $date_from, $date_to
select
    f.county_code,
    f.fund_kind,
    f.purpose,
    date_trunc('month', f.fund_date)::date as month,
    sum(f.amount_yuan) as amount_yuan,
    count(*) as items
from help_funds as f
where list_contains($counties, f.county_code)
  and f.fund_date between $date_from and $date_to
  and ($township is null or f.township_code = $township)
group by all
order by all
