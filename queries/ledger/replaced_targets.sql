-- purpose: The yearly targets a replace would remove, counted per year and scope (county or township).
-- params: none
select
    t.year,
    t.scope_code as township_code,
    count(*) as rows
from targets as t
group by all
order by t.year, t.scope_code
