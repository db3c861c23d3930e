-- purpose: Buyers ranked by amount, with the parts from poor villages, cooperatives and poor households.
-- params: $date_from, $date_to, $township, $village, $buyer_type, $product_category, $limit
select *
from buyer_totals($date_from, $date_to, $township, $village, $buyer_type, $product_category) as bt
order by bt.amount_yuan desc, bt.buyer_id
limit $limit
