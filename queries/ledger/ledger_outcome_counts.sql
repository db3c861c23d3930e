-- purpose: What became of each ledger file's rows (files by position range): rejected, duplicates, updated and added.
-- params: none
with checked as (
    select o.position, o.outcome
    from outcomes as o
    union all
    select l.position, 'added' as outcome
    from ledger_rows as l
    anti join outcomes as o on o.position = l.position
),

final as (
    select
        f.file_index,
        count(c.position) filter (where c.outcome in ('rejected', 'conflict')) as rejected,
        count(c.position) filter (where c.outcome = 'duplicate') as duplicates,
        count(c.position) filter (where c.outcome = 'update') as updated,
        count(c.position) filter (where c.outcome = 'added') as added
    from ledger_files as f
    left join checked as c
        on c.position >= f.first_position and c.position < f.end_position
    group by f.file_index
)

select * from final order by file_index
