-- purpose: Whether a purchase counts as bought from poor villages or cooperatives (the report's 贫困村或合作社 figures): its origin village was poor then, or its supplier is a cooperative.
-- params: none
create or replace macro poor_or_cooperative(from_poor_village, supplier_type) as
    from_poor_village or supplier_type = 'cooperative'
