-- purpose: The latest value of each date column among the rows an import writes (one column per date column of the table).
-- params: none
select max(columns(lambda c: c like '%_date'))
from ledger_rows as l
anti join outcomes as o on o.position = l.position and o.outcome <> 'update'
