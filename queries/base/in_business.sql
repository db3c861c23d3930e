-- purpose: Whether a cooperative registered and deregistered on these dates is in business on a day (registered by then, not yet deregistered).
-- params: none
create or replace macro in_business(registered_date, deregistered_date, day) as
    registered_date <= day and (deregistered_date is null or deregistered_date > day)
