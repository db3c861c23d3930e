-- purpose: Open unsold-product warnings per county on a filter's end date, for the portfolio's map and ranking.
-- params: $date_to, $counties, $township, $village, $product_category
select
    w.county_code,
    count(*) as unsold_warnings,
    sum(w.unsold_kg) as unsold_kg
from offer_warnings($date_to, $counties, $township, $village, $product_category) as w
group by w.county_code
order by w.county_code
