-- purpose: Unsold-product warnings on an as-of date (滞销预警): every offer whose harvest window has opened by `date_to` and whose produce still keeps (through harvest_to + keeps_days), with the kg bought of that product (same product_name) from that village since the window opened, at the most severe level of warning_rules it meets; offers bought in full or meeting no level are left out. Townships in the edition of the as-of year.
-- params: none
-- A level is met when at most max_time_left_pct % of the selling time (harvest_from to the last day it keeps) is
-- left and at least min_unsold_pct % of the offer is unsold, compared in exact decimals with weights to the gram:
-- an offer exactly on a threshold meets it.
create or replace macro offer_warnings(date_to, counties, township, village, product_category) as table
with open_offers as (
    select
        o.* replace (township_in_force(o.township_code, year(date_to)) as township_code),
        o.harvest_to + o.keeps_days as sell_by
    from offers as o
    where list_contains(counties, o.county_code)
      and o.year <= year(date_to)   -- no partition of a later harvest
      and o.harvest_from <= date_to
      and o.harvest_to + o.keeps_days >= date_to
      and o.quantity_kg > 0
      and (village is null or o.village_code = village)
      and (product_category is null or o.product_category = product_category)
),

in_place as (
    select *
    from open_offers as o
    where township is null or o.township_code = township
),

pairs as (   -- what the open offers are of: only these (village, product) pairs' daily sums are kept below
    select distinct o.village_code, o.product_name
    from in_place as o
),

sold as (   -- their villages' purchases of those products, per day (summed per day when the snapshot was written)
    select p.village_code, p.product_name, p.purchase_date, p.weight_kg
    from purchase_village_product_day as p
    semi join pairs
        on p.village_code = pairs.village_code
        and p.product_name = pairs.product_name
    where list_contains(counties, p.county_code)
      and p.year <= year(date_to)
      and p.purchase_date <= date_to
      and p.purchase_date >= (select min(o.harvest_from) from in_place as o)   -- the dates bound the scan
),

bought as (
    select
        o.offer_id,
        sum(s.weight_kg) as bought_kg
    from in_place as o
    inner join sold as s
        on s.village_code = o.village_code
        and s.product_name = o.product_name
        and s.purchase_date >= o.harvest_from
    group by o.offer_id
),

measured as (
    select
        o.*,
        round(coalesce(b.bought_kg, 0), 3) as bought_kg,
        round(o.quantity_kg, 3)::decimal(18, 3) as offered_exact,
        greatest(round(o.quantity_kg - coalesce(b.bought_kg, 0), 3), 0)::decimal(18, 3) as unsold_exact,
        o.sell_by - date_to as days_left,
        o.sell_by - o.harvest_from as selling_days
    from in_place as o
    left join bought as b on b.offer_id = o.offer_id
),

levelled as (
    select
        m.offer_id,
        arg_max(r.warning_level, r.severity) as warning_level,
        max(r.severity) as severity
    from measured as m
    inner join warning_rules as r
        on m.unsold_exact > 0
        and m.unsold_exact * 100 >= r.min_unsold_pct::decimal(18, 3) * m.offered_exact
        and m.days_left * 100 <= r.max_time_left_pct::decimal(18, 3) * m.selling_days
    group by m.offer_id
)

select
    m.* exclude (offered_exact, unsold_exact, selling_days, year),
    l.warning_level,
    l.severity,
    m.unsold_exact::double as unsold_kg,
    round(100 * m.unsold_exact::double / m.offered_exact::double, 1) as unsold_pct,
    round(m.unsold_exact::double * m.expected_price_yuan_per_kg, 2) as unsold_value_yuan,
    round(100.0 * m.days_left / greatest(m.selling_days, 1), 1) as time_left_pct
from measured as m
inner join levelled as l on l.offer_id = m.offer_id
