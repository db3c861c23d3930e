-- purpose: Cooperative registrations and deregistrations per year up to the as-of date, with the stock at year end.
-- params: $date_to, $counties, $township, $village
with years as (
    select unnest(range(
        (select min(year(c.registered_date)) from cooperatives as c where list_contains($counties, c.county_code)),
        year($date_to) + 1
    )) as year
),

scoped as (
    select * from scoped_cooperatives($date_to, $counties, $township, $village) as c
    where c.registered_date <= $date_to
),

final as (
    select
        years.year,
        count(*) filter (where year(scoped.registered_date) = years.year) as registered,
        count(*) filter (
            where year(scoped.deregistered_date) = years.year and scoped.deregistered_date <= $date_to
        ) as deregistered,
        count(*) filter (
            where year(scoped.registered_date) <= years.year
              and (scoped.deregistered_date is null
                   or year(scoped.deregistered_date) > years.year
                   or scoped.deregistered_date > $date_to)
        ) as stock
    from years
    cross join scoped
    group by years.year
)

select * from final order by year
