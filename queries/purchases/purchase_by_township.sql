-- purpose: Purchase weight and amount per origin township in the edition of the end date's year (the map's values), every township listed.
-- params: $date_from, $date_to, $counties, $township, $village, $buyer_type, $product_category, $channel
select *
from purchase_townships($date_from, $date_to, $counties, $township, $village, $buyer_type, $product_category, $channel) as t
order by t.township_code
