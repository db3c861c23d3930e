-- purpose: Cooperatives registered in a township or village (all dates), their township in the edition of the as-of year (a cooperative of 英言乡 counts in 英言镇 from 2020); cooperative queries select from it.
-- params: none
create or replace macro scoped_cooperatives(date_to, counties, township, village) as table
with in_force as (
    select c.* replace (township_in_force(c.township_code, year(date_to)) as township_code)
    from cooperatives as c
    where list_contains(counties, c.county_code)
)

select *
from in_force as c
where (township is null or c.township_code = township)
  and (village is null or c.village_code = village)
