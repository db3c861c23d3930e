-- purpose: Whether a certified product counts on a day: certified by then, still within its validity (none given: no end) and not revoked (the register's 撤销 stands for every day, having no date of its own).
-- params: none
create or replace macro certified_on(certified_date, valid_until, status, day) as
    certified_date <= day and (valid_until is null or valid_until >= day) and status <> 'revoked'
