-- purpose: The stage a 三专 outlet stood at on a day: its recorded stage from its stage date on; a closed (停用) outlet was in service (landed if smart, else built) from its opening until then; null before anything is known.
-- params: none
create or replace macro outlet_stage_on(stage, stage_date, opened_date, smart, day) as case
    when stage_date <= day then stage
    when stage = 'closed' and opened_date <= day then case when smart then 'landed' else 'built' end
end
