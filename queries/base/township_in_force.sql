-- purpose: The township code in force in a year: a code replaced by then becomes its successor (英言乡 140827201 -> 英言镇 140827105 from 2020), any other code stays; every per-township figure of a year is grouped and filtered on it.
-- params: none
-- One step of succession: the reference has no township replaced twice.
create or replace macro township_in_force(code, in_year) as coalesce(
    (select t.successor_code from townships as t where t.township_code = code and t.last_year < in_year),
    code
)
