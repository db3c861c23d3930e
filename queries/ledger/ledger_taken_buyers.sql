-- purpose: The buyers named by the purchase rows an import writes (new buyers are added to the register only if used).
-- params: none
select distinct l.buyer_id
from ledger_rows as l
anti join outcomes as o on o.position = l.position and o.outcome <> 'update'
order by l.buyer_id
