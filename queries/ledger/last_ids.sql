-- purpose: The largest purchase, inspection, offer and channel sale ids in the snapshot (0 when a table is empty); new rows continue after them.
-- params: none
select
    (select coalesce(max(p.purchase_id), 0) from purchases as p) as purchase_id,
    (select coalesce(max(i.inspection_id), 0) from inspections as i) as inspection_id,
    (select coalesce(max(o.offer_id), 0) from offers as o) as offer_id,
    (select coalesce(max(s.sale_id), 0) from channel_sales as s) as sale_id
