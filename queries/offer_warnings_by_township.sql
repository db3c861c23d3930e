-- purpose: Open unsold-product warnings per township (in the edition of the end date's year) on a filter's end date, for the map and the area summaries.
-- params: $date_to, $counties, $township, $village, $product_category
select
    w.township_code,
    count(*) as unsold_warnings,
    sum(w.unsold_kg) as unsold_kg
from offer_warnings($date_to, $counties, $township, $village, $product_category) as w
group by w.township_code
order by w.township_code
