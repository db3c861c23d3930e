-- purpose: The open unsold-product warnings of a filter on its end date, with the village's and township's names, the most severe first, then the fewest days left.
-- params: $date_to, $counties, $township, $village, $product_category
select
    w.warning_level,
    t.township_name,
    v.village_name,
    w.product_name,
    w.unsold_kg,
    w.days_left,
    w.supplier_name,
    w.contact_name,
    w.contact_phone,
    w.quantity_kg,
    w.bought_kg,
    w.unsold_pct,
    w.time_left_pct,
    w.unsold_value_yuan,
    w.product_category,
    w.supplier_type,
    w.supplier_credit_code,
    w.expected_price_yuan_per_kg,
    w.harvest_from,
    w.harvest_to,
    w.keeps_days,
    w.sell_by,
    w.county_code,
    w.township_code,
    w.village_code,
    w.offer_id,
    w.severity
from offer_warnings($date_to, $counties, $township, $village, $product_category) as w
left join townships as t on t.township_code = w.township_code
left join villages as v on v.village_code = w.village_code
order by w.severity desc, w.days_left, w.unsold_kg desc, w.offer_id
