-- purpose: The help funds of the counties (of the township, when one is given) dated $date_from to $date_to, newest first, with county and township names.
-- params: $counties, $township, $date_from, $date_to
select
    f.fund_date,
    c.county_name,
    w.township_name,
    f.fund_kind,
    f.source_name,
    f.source_credit_code,
    f.purpose,
    f.project,
    f.amount_yuan,
    f.county_code,
    f.township_code
from help_funds as f
left join counties as c on c.county_code = f.county_code
left join townships as w on w.township_code = f.township_code
where list_contains($counties, f.county_code)
  and f.fund_date between $date_from and $date_to
  and ($township is null or f.township_code = $township)
order by f.fund_date desc, f.county_code, f.source_name, f.amount_yuan desc
