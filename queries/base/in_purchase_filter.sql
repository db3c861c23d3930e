-- purpose: Whether a row's county, township, buyer type, product category and channel are inside a filter's (its dates and village are checked by the caller); every purchase source is filtered by it.
-- params: none
create or replace macro in_purchase_filter(row_county, row_township, row_buyer_type, row_category, row_channel,
                                           counties, township, buyer_type, product_category, channel) as
    list_contains(counties, row_county)
    and (township is null or row_township = township)
    and (buyer_type is null or row_buyer_type = buyer_type)
    and (product_category is null or row_category = product_category)
    and (channel is null or row_channel = channel)
