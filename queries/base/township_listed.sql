-- purpose: Whether the map lists a township in a year even without figures: in force that year and with a seat to draw.
-- params: none
create or replace macro township_listed(first_year, last_year, lng, year) as
    first_year <= year and last_year >= year and lng is not null
