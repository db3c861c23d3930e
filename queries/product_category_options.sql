-- purpose: Product categories present in the purchases, for selectors.
-- params: none
select distinct p.product_category
from purchases as p
order by p.product_category
