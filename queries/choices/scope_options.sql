-- purpose: The scopes a view can show: named groups, cities and counties that hold data, with the counties each covers (groups first, then cities, then counties, each in code order).
-- params: none
with counties_with_data as (
    select c.*
    from counties as c
    where c.county_code in (select distinct r.county_code from purchase_main_month as r)
       or c.county_code in (select distinct i.county_code from inspections as i)
       or c.county_code in (select distinct k.county_code from cooperatives as k)
),

scopes as (
    select 'group' as kind, g.group_code as scope_code, any_value(g.group_name) as scope_name,
           list(g.county_code order by g.county_code) as counties
    from groups as g
    where g.county_code in (select county_code from counties_with_data)
    group by g.group_code
    union all
    select 'city', c.city_code, any_value(c.city_name), list(c.county_code order by c.county_code)
    from counties_with_data as c
    group by c.city_code
    having count(*) > 1
    union all
    select 'county', c.county_code, c.county_name, [c.county_code]
    from counties_with_data as c
)

select * from scopes
order by case kind when 'group' then 0 when 'city' then 1 else 2 end, scope_code
