-- purpose: Each township of the counties in force in $date_to's year (only the township, when one is given): the units paired with it by $date_to, its pairing mode, and its pairing visits from 1 January of that year and in all, by $date_to (a renamed township's under its successor).
-- params: $counties, $township, $date_to
with towns as (
    select
        t.county_code,
        t.township_code,
        t.township_name
    from townships as t
    where list_contains($counties, t.county_code)
      and t.first_year <= year($date_to) and t.last_year >= year($date_to)
      and ($township is null or t.township_code = $township)
),

paired as (
    select
        township_in_force(p.township_code, year($date_to)) as township_code,
        count(distinct p.unit_name) as paired_units,
        string_agg(distinct p.unit_name, '、' order by p.unit_name) as unit_names,
        max(p.pairing_mode) as pairing_mode,
        min(p.paired_since) as paired_since
    from pairings as p
    where list_contains($counties, p.county_code) and p.paired_since <= $date_to
    group by all
),

visited as (
    select
        township_in_force(v.township_code, year($date_to)) as township_code,
        count(*) filter (where v.visit_date >= make_date(year($date_to), 1, 1)) as visits_this_year,
        count(*) as visits_total,
        max(v.visit_date) as last_visit
    from visits as v
    where list_contains($counties, v.county_code) and v.visit_date <= $date_to
    group by all
),

final as (
    select
        t.county_code,
        t.township_code,
        t.township_name,
        coalesce(p.paired_units, 0) as paired_units,
        p.unit_names,
        p.pairing_mode,
        p.paired_since,
        coalesce(v.visits_this_year, 0) as visits_this_year,
        coalesce(v.visits_total, 0) as visits_total,
        v.last_visit
    from towns as t
    left join paired as p on p.township_code = t.township_code
    left join visited as v on v.township_code = t.township_code
)

select * from final order by township_code
