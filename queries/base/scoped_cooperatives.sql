-- purpose: Cooperatives registered in a township or village (all dates); cooperative queries select from it.
-- params: none
create or replace macro scoped_cooperatives(township, village) as table
select c.*
from cooperatives as c
where (township is null or c.township_code = township)
  and (village is null or c.village_code = village)
