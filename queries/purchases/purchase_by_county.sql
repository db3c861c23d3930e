-- purpose: Purchase weight and amount per county of the scope (the portfolio map's values), every county listed.
-- params: $date_from, $date_to, $counties, $township, $village, $buyer_type, $product_category, $channel
select *
from purchase_counties($date_from, $date_to, $counties, $township, $village, $buyer_type, $product_category, $channel) as k
order by k.county_code
