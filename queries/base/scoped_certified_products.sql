-- purpose: The certified products of the counties (every status and date), their township in the edition of the end date's year, within a township when given; every certified-product query selects from it.
-- params: none
create or replace macro scoped_certified_products(date_to, counties, township) as table
with in_force as (
    select c.* replace (township_in_force(c.township_code, year(date_to)) as township_code)
    from certified_products as c
    where list_contains(counties, c.county_code)
)

select *
from in_force as c
where township is null or c.township_code = township
