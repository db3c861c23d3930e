-- purpose: Townships replaced by another (英言乡 -> 英言镇), with the code that replaced them.
-- params: none
select
    t.township_code,
    t.successor_code
from townships as t
where t.successor_code is not null
order by t.township_code
