-- purpose: Product categories present in the counties' purchases, for selectors.
-- params: $counties
select distinct r.product_category
from purchase_main_month as r
where list_contains($counties, r.county_code)
order by r.product_category
