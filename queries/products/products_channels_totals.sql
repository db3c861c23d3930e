-- purpose: The figures of certified products, their sales and the 三专 outlets and events of a scope in one row: products certified on the end date, their suppliers and value; sales from the start to the end date (made: through the sales ledger and certified purchases; signed); outlets by kind, online or offline and smart-counter stage on the end date; events begun in the dates.
-- params: $date_from, $date_to, $counties, $township
with products as (
    select
        count(*) as certified_products,
        count(distinct c.supplier_credit_code) as suppliers,
        coalesce(sum(c.product_value_yuan), 0) as product_value_yuan
    from scoped_certified_products($date_to, $counties, $township) as c
    where certified_on(c.certified_date, c.valid_until, c.status, $date_to)
),

ledger_sales as (
    select
        coalesce(sum(s.amount_yuan) filter (where s.sale_type = 'actual'), 0) as channel_sales_yuan,
        coalesce(sum(s.amount_yuan) filter (where s.sale_type = 'signed'), 0) as signed_sales_yuan,
        coalesce(sum(s.amount_yuan) filter (where s.sale_type = 'actual' and s.outlet_id is not null), 0)
            as outlet_sales_yuan,
        coalesce(sum(s.amount_yuan) filter (where s.sale_type = 'actual' and s.event_id is not null), 0)
            as event_sales_yuan
    from counted_channel_sales($date_from, $date_to, $counties, $township) as s
),

bought as (
    select coalesce(sum(b.amount_yuan), 0) as purchase_sales_yuan
    from certified_purchases($date_from, $date_to, $counties, $township) as b
),

outlet_counts as (
    select
        coalesce(sum(coalesce(o.units, 1)) filter (where o.kind = 'counter' and not o.smart
                                                   and o.stage_on in ('landed', 'built')), 0)::bigint as counters,
        count(*) filter (where o.kind = 'zone' and o.online and o.stage_on = 'built') as zones_online,
        count(*) filter (where o.kind = 'zone' and not o.online and o.stage_on = 'built') as zones_offline,
        count(*) filter (where o.kind = 'hall' and o.online and o.stage_on = 'built') as halls_online,
        count(*) filter (where o.kind = 'hall' and not o.online and o.stage_on = 'built') as halls_offline,
        count(distinct o.operator) filter (where o.smart and o.stage_on = 'intent'
                                           and o.operator not in (select x.operator
                                                                  from scoped_outlets($date_to, $counties, $township) as x
                                                                  where x.smart
                                                                    and x.stage_on in ('signed', 'landed', 'built')))
            as smart_intent_companies,
        count(distinct o.operator) filter (where o.smart and o.stage_on in ('signed', 'landed', 'built'))
            as smart_signed_companies,
        count(distinct o.operator) filter (where o.smart and o.stage_on in ('landed', 'built'))
            as smart_landed_companies,
        coalesce(sum(o.units) filter (where o.smart and o.stage_on in ('signed', 'landed', 'built')), 0)::bigint
            as smart_signed_units,
        coalesce(sum(o.units) filter (where o.smart and o.stage_on in ('landed', 'built')), 0)::bigint
            as smart_landed_units
    from scoped_outlets($date_to, $counties, $township) as o
),

event_counts as (
    select
        count(*) as events,
        count(distinct e.event_kind) as event_kinds,
        coalesce(sum(e.signed_amount_yuan), 0) as event_signed_yuan,
        coalesce(sum(e.participants), 0)::bigint as event_participants
    from events as e
    where list_contains($counties, e.county_code)
      and e.start_date between $date_from and $date_to
      and ($township is null or township_in_force(e.township_code, year($date_to)) = $township)
)

select
    p.*,
    l.channel_sales_yuan + b.purchase_sales_yuan as sales_yuan,
    l.*,
    b.*,
    o.*,
    e.*
from products as p, ledger_sales as l, bought as b, outlet_counts as o, event_counts as e
