-- purpose: Where the scope's outlets in service on the end date are, for the map: their own point, else their township's seat (how many there, by kind).
-- params: $date_to, $counties, $township
select
    o.outlet_id,
    o.outlet_name,
    o.kind,
    o.online,
    o.smart,
    t.township_name,
    coalesce(o.lng, t.lng) as lng,
    coalesce(o.lat, t.lat) as lat,
    o.lng is not null as located,
    o.county_code,
    o.township_code
from scoped_outlets($date_to, $counties, $township) as o
left join townships as t on t.township_code = o.township_code
where o.stage_on in ('landed', 'built')
order by o.outlet_id
