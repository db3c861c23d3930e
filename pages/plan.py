"""任务与投入 Plan and inputs: a plan's tasks by status and unit (overdue first) with the list and each task's text,
help funds by kind, purpose, county and month, pairings with the townships they cover and the visits per unit and
year, and the industries with the households they carry."""

import pandas as pd
import streamlit as st

from fupin.query.scope import county_names as scope_county_names
from fupin.report import charts, tasks_inputs
from fupin.report.tiles import tile
from fupin.store.plan_tables import FUND_KINDS, TASK_STATUSES
from fupin.text import fmt
from fupin.text.export import readable
from fupin.text.i18n import code_label
from fupin.ui import first_screen, frame, inputs, links, maps, widgets

view = frame.page_view(__file__)
flt = view.filter
several = not view.one_county
known = scope_county_names(view.db)
county_names = {code: known.get(code, code) for code in flt.counties}

widgets.page_header(view, "page_plan", "plan_scope", village_level=False)
# Help funds and visits to the end date (累计) or in the chosen dates: chosen in the funds section, read here first.
SPANS = ["cumulative", "period"]
links.seed("span", lambda text: text if text in SPANS else None)
span = st.session_state.get("span") if st.session_state.get("span") in SPANS else SPANS[0]
data = tasks_inputs.plan_inputs(view.db, flt, cumulative=span == "cumulative")
counts = data.tasks.counts()
sums = data.funds.sums()
paired = data.pairings.summary()
carried = data.industries.totals["poor_households"].dropna()

shown = []
if not data.tasks.empty:
    shown += [tile("tasks_total", counts["total"], view.lang), tile("tasks_done", counts["done"], view.lang),
              tile("tasks_overdue", counts["overdue"], view.lang)]
if not data.funds.empty:
    shown.append(tile("help_funds_yuan", sums["total_yuan"], view.lang,
                      notes=[view.t("funds_since", day=data.funds.breakdown["month"].min().isoformat()[:7])]))
if not data.pairings.empty:
    shown += [tile("paired_townships", paired["townships"], view.lang,
                   notes=[f"{view.t('paired_units')} {fmt.count(paired['units'], view.t('unit_units'), view.lang)}"]),
              tile("visits_this_year", paired["visits_this_year"], view.lang)]
if not data.industries.empty and len(carried):
    shown.append(tile("industry_poor_households", carried.sum(), view.lang))
if shown:
    widgets.tile_rows(view, shown)
first_screen.rest_later(view.t("plan_loading"))

if data.empty:
    st.info(view.t("plan_none"), icon=":material/info:")

if several and not data.empty:
    st.subheader(view.t("plan_counties"))
    counties = tasks_inputs.side_by_side(data, county_names)
    widgets.table(view, counties, key="table_counties")
    widgets.download(view, counties, view.t("plan_counties"), key="csv_counties")

# 任务督办: by status and by unit, the list with its filters, the chosen task's text.
if not data.tasks.empty:
    st.subheader(view.t("plan_tasks"))
    for plan in data.tasks.plans():
        st.caption(view.t("tasks_plan_line", name=plan["plan_name"], issuer=plan["plan_issuer"] or "",
                          day=plan["plan_issued_on"], n=plan["tasks"]))
    left, right = st.columns([2, 3])
    statuses = pd.DataFrame({"status": list(TASK_STATUSES)})
    statuses = statuses.assign(label=[code_label("status", s, view.lang) for s in statuses["status"]],
                               tasks=[counts["by_status"][s] for s in statuses["status"]])
    with left:
        st.plotly_chart(charts.bar(statuses, "label", "tasks", view.t("tasks_by_status"), view.lang,
                                   view.t("unit_tasks"), top=None), key="chart_task_status")
        st.caption(view.t("tasks_stale_note", days=tasks_inputs.STALE_DAYS))
    by_unit = data.tasks.by_unit()
    with right:
        st.markdown(f"**{view.t('tasks_by_unit')}**")
        widgets.table(view, by_unit, key="table_task_units", height=320)
        widgets.download(view, by_unit, view.t("tasks_by_unit"), key="csv_task_units")

    st.markdown(f"**{view.t('tasks_list')}**")
    shows = ["all", "overdue", "stale", *TASK_STATUSES]
    labels = {"all": view.t("tasks_all"), "overdue": view.t("tasks_overdue_only"), "stale": view.t("tasks_stale_only")}
    show = widgets.choice(view, "tasks", shows, "tasks_show",
                          lambda s: labels.get(s) or code_label("status", s, view.lang))
    units = ["all", *sorted(by_unit["unit"])]
    links.seed("unit", lambda text: text if text in units else None)
    if st.session_state.get("unit") not in units:
        st.session_state["unit"] = "all"
    unit = inputs.select(st, "unit", view.t("tasks_unit"), units, view.lang,
                         lambda u: view.t("tasks_all_units") if u == "all" else u)
    links.keep("unit", unit, "all")
    rows = data.tasks.rows
    listed = rows if show == "all" else rows[rows[show]] if show in ("overdue", "stale") else rows[rows["status"] == show]
    if unit != "all":
        listed = listed[listed["lead_units"].str.split("、").map(lambda names_: unit in names_)]
    listed = listed.reset_index(drop=True)
    columns = ["task_no", "section", "task_text", "lead_units", "due_on", "status", "update_date", "overdue", "stale",
               "days_overdue", "days_since_update"]
    keys = [f"{c}-{n}" for c, n in zip(listed["county_code"], listed["task_no"])]
    links.seed("task", lambda text: text if text in keys else None)
    st.caption(f"{view.t('rows_total', n=len(listed))} · {view.t('tasks_pick_hint')}")
    picked = st.dataframe(readable(listed[columns], view.lang), hide_index=True, placeholder=fmt.ABSENT, key="table_tasks",
                          on_select="rerun", selection_mode="single-row", height=min(360, 35 * (len(listed) + 1) + 3))
    if picked.selection.rows:
        st.session_state["task"] = keys[picked.selection.rows[0]]
    chosen = st.session_state.get("task") if st.session_state.get("task") in keys else None
    links.keep("task", chosen)
    widgets.download(view, listed.drop(columns=["county_code"]), view.t("tasks_list"), key="csv_tasks")
    if chosen:
        task = listed.iloc[keys.index(chosen)]
        with st.container(border=True, key="task_detail"):
            st.markdown(f"**{view.t('tasks_detail', no=int(task['task_no']))}** · {task['section'] or ''}")
            st.write(task["task_text"])
            detail = readable(listed.iloc[[keys.index(chosen)]][
                ["lead_units", "support_units", "due_on", "status", "progress_note", "update_date", "done_on",
                 "evidence", "updates"]], view.lang)
            for header, value in detail.iloc[0].items():
                st.markdown(f"{header}：{value if value not in ('', None) else '—'}")

# 帮扶资金: by kind, purpose, county and month; the records.
if not data.funds.empty:
    st.subheader(view.t("plan_funds"))
    span = widgets.choice(view, "span", SPANS, "funds_span", lambda s: view.t(f"span_{s}"))
    by_kind = data.funds.by("fund_kind")
    by_kind_shown = by_kind.assign(label=[code_label("fund_kind", k, view.lang) for k in by_kind["fund_kind"]])
    by_purpose = data.funds.by("purpose")
    by_purpose_shown = by_purpose.assign(label=[code_label("purpose", p, view.lang) for p in by_purpose["purpose"]])
    left, right = st.columns(2)
    with left:
        st.plotly_chart(charts.bar(by_kind_shown, "label", "amount_yuan", view.t("funds_by_kind"), view.lang),
                        key="chart_fund_kinds")
        widgets.download(view, by_kind, view.t("funds_by_kind"), key="csv_fund_kinds")
    with right:
        st.plotly_chart(charts.bar(by_purpose_shown, "label", "amount_yuan", view.t("funds_by_purpose"),
                                   view.lang),
                        key="chart_fund_purposes")
        widgets.download(view, by_purpose, view.t("funds_by_purpose"), key="csv_fund_purposes")
    left, right = st.columns(2)
    monthly = data.funds.monthly()
    with left:
        series = {k: code_label("fund_kind", k, view.lang) for k in FUND_KINDS if k in monthly.columns}
        unit = fmt.unit_for("yuan", monthly[list(series)].sum(axis=1))   # the tallest stack decides
        in_unit = monthly.assign(**{k: monthly[k] / unit.divisor for k in series})
        st.plotly_chart(charts.stacked_bars(in_unit, "month", series, view.t("funds_monthly"), unit.label(view.lang),
                                            view.lang, colours=(charts.PRIMARY, charts.SECONDARY, charts.MUTED,
                                                                charts.GOOD, charts.BAD)), key="chart_fund_months")
        widgets.download(view, monthly, view.t("funds_monthly"), key="csv_fund_months")
    with right:
        if several:
            by_county = data.funds.by("county_code")
            by_county = by_county.assign(county_name=by_county["county_code"].map(county_names))
            st.plotly_chart(charts.bar(by_county, "county_name", "amount_yuan", view.t("funds_by_county"),
                                       view.lang),
                            key="chart_fund_counties")
            widgets.download(view, by_county, view.t("funds_by_county"), key="csv_fund_counties")
    counted = tasks_inputs.span(flt, span == "cumulative")
    st.caption(view.t("funds_records"))
    widgets.download(view, lambda: [view.db.run_filtered("fund_records", counted)], view.t("funds_records"),
                     key="csv_fund_records")

# 结对帮扶: the townships covered (a township without a pairing shown), the pairings, visits per unit and year.
if not data.pairings.empty:
    st.subheader(view.t("plan_pairings"))
    areas = tasks_inputs.map_areas(data, county_names, several)
    left, right = st.columns([3, 2])
    with left:
        st.markdown(f"**{view.t('pairings_map')}**")
        map_rows = maps.area_map(view, areas, "paired_units")
        widgets.download(view, map_rows, view.t("pairings_map"), key="csv_pairing_map")
        if paired["townships_unpaired"] and not several:
            st.caption(view.t("pairings_unpaired",
                              names=view.t("list_separator").join(paired["townships_unpaired"])))
    with right:
        st.markdown(f"**{view.t('visits_by_unit')}**")
        unit_years = data.pairings.unit_years()
        widgets.table(view, unit_years, key="table_unit_years", height=420)
        widgets.download(view, data.pairings.visits_by_unit_year, view.t("visits_by_unit"), key="csv_unit_years")
    st.markdown(f"**{view.t('pairings_table')}**")
    pairs_show = widgets.choice(view, "pairs", ["all", "unvisited"], "pairings_show", lambda s: view.t(f"pairs_{s}"))
    pairs = data.pairings.pairings
    if pairs_show == "unvisited":
        towns = data.pairings.townships
        waiting = towns.loc[(towns["paired_units"] > 0) & (towns["visits_this_year"] == 0), "township_code"]
        pairs = pairs[pairs["township_code"].isin(waiting)]
    pairs = pairs.reset_index(drop=True)
    widgets.table(view, pairs.drop(columns=["county_code"]), key="table_pairings", height=360)
    widgets.download(view, pairs, view.t("pairings_table"), key="csv_pairings")
    st.caption(view.t("visits_records"))
    widgets.download(view, lambda: [view.db.run_filtered("visit_records", tasks_inputs.span(flt, span == "cumulative"))],
                     view.t("visits_records"), key="csv_visits")

# 产业带贫: households carried per industry and per township.
st.subheader(view.t("plan_industries", year=data.industries.year))
if data.industries.empty:
    st.caption(view.t("industries_none", year=data.industries.year))
else:
    table = data.industries.table()
    left, right = st.columns([2, 3])
    with left:
        st.markdown(f"**{view.t('industries_table')}**")
        widgets.table(view, table, key="table_industries")
        widgets.download(view, table, view.t("industries_table"), key="csv_industries")
        st.plotly_chart(charts.bar(table.fillna({"poor_households": 0}), "industry", "poor_households",
                                   view.t("industries_households"), view.lang, view.t("unit_hh")),
                        key="chart_industry_households")
    with right:
        areas = tasks_inputs.map_areas(data, county_names, several)
        map_rows = maps.area_map(view, areas, "industry_poor_households")
        widgets.download(view, map_rows, view.t("industries_map"), key="csv_industry_map")
    st.caption(view.t("industries_records"))
    widgets.download(view, lambda: [view.db.run_filtered("industry_records", flt)], view.t("industries_records"),
                     key="csv_industry_records")
