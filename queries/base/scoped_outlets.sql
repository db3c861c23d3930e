-- purpose: The 三专 outlets of the counties with the stage each stood at on the end date (null: not yet known then), their township in the edition of that year, within a township when given.
-- params: none
create or replace macro scoped_outlets(date_to, counties, township) as table
with in_force as (
    select
        o.* replace (township_in_force(o.township_code, year(date_to)) as township_code),
        outlet_stage_on(o.stage, o.stage_date, o.opened_date, o.smart, date_to) as stage_on
    from outlets as o
    where list_contains(counties, o.county_code)
)

select *
from in_force as o
where township is null or o.township_code = township
