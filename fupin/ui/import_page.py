"""The import page's parts: choosing, uploading, checking and importing ledgers (the check and its result kept in the
session), the snapshot history with going back to one, the audit log and the templates."""

import streamlit as st

from .. import settings
from ..auth import audit
from ..auth.acting import NotAllowed
from ..ledger.columns import IMPORTABLE_TABLES
from ..ledger.files import LedgerFile, LedgerFileError, max_bytes, sheet_names
from ..ledger.history import history_table, snapshot_history, switch_current
from ..ledger.importer import MODES, import_ledgers
from ..ledger.replacing import rows_in_table, rows_to_remove
from ..ledger.report import ERROR
from ..ledger.result import file_summaries
from ..ledger.slots import ImportBusy, one_at_a_time
from ..ledger.templates import column_guide, template_csv, template_name, template_xlsx
from ..ledger.township_rows import check_township_rows
from ..report.export_xlsx import XLSX_MIME
from ..store.snapshot import SnapshotError
from ..text.fmt import ABSENT
from ..text.i18n import t
from . import acting, data
from .frame import View

# A page waits this long for another import to finish before telling the user to try again.
WAIT_SECONDS = 10.0


def show_result(result, lang: str) -> None:
    """The outcome of a check or an import: the message, counts per file, the report and its CSV download."""
    for notice in result.notices:
        st.error(notice)
    tell = {"rejected": st.error, "unchanged": st.info}.get(result.status, st.success)
    tell(result.message)
    st.dataframe(file_summaries(result), hide_index=True, placeholder=ABSENT, key="import_files_summary")
    if result.report.entries:
        st.caption(t("import_report_count", lang, errors=result.report.count(ERROR),
                     entries=sum(result.report.counts.values())))
        st.dataframe(result.report.frame(), hide_index=True, placeholder=ABSENT, key="import_report")
        st.download_button(t("import_report_download", lang), result.report.to_csv(), file_name="导入报告.csv", mime="text/csv",
                           key="import_report_csv", on_click="ignore")


def switch_to(name: str, scope: str | None, snapshot_id: str, snapshot_name: str, lang: str) -> None:
    """Button callback: point CURRENT at the chosen snapshot before the page is drawn again (and record who); who
    clicked is `name`, read again under the store's lock (this runs before the frame reads the account)."""
    try:
        switch_current(data.store(), snapshot_id, by=name,
                       recheck=acting.recheck(name, scope, "switch_current", after=snapshot_id))
        st.session_state["import_switch_message"] = ("success", t("import_switched", lang, snapshot=snapshot_name))
    except NotAllowed as refused:
        acting.refused(refused)
    except SnapshotError as e:
        st.session_state["import_switch_message"] = ("error", str(e))


def replace_confirmation(view: View, snapshot, table: str, table_label: str) -> int | None:
    """For a replace: what it removes, per year and township, and the row count typed back (None until it is)."""
    lang = view.lang
    removed = rows_in_table(snapshot, table, view.filter.counties)
    st.warning(t("import_replace_warning", lang, table=table_label))
    st.caption(t("import_replace_rows", lang, table=table_label, n=f"{removed:,}"))
    st.dataframe(rows_to_remove(snapshot, table, view.filter.counties), hide_index=True, placeholder=ABSENT, key="import_replace_rows")
    typed = st.text_input(t("import_replace_type", lang, n=f"{removed:,}"), key="import_replace_count")
    if typed.strip() and typed.replace(",", "").strip() != str(removed):
        st.error(t("import_replace_typed_wrong", lang))
    return removed if typed.replace(",", "").strip() == str(removed) else None


def importing(view: View) -> None:
    """Choose the table and mode, upload, check, confirm; then the snapshot history."""
    lang, user, store = view.lang, view.user, data.store()
    served = None
    try:
        served = store.serve()
    except SnapshotError as e:
        st.error(str(e))
    for notice in served.notices if served else ():
        st.error(notice)
    left, right = st.columns(2)
    tables = [name for name in IMPORTABLE_TABLES if user.may_import(name)]
    table = left.selectbox(t("import_table", lang), tables, key="import_table",
                           format_func=lambda name: t(f"table_{name}", lang))
    modes = [m for m in MODES if user.may_import(table, m)]
    mode = right.radio(t("import_mode", lang), modes, horizontal=True, key="import_mode",
                       format_func=lambda name: t(f"mode_{name}", lang), help=t("import_mode_help", lang))
    table_label = t(f"table_{table}", lang)
    confirmed = replace_confirmation(view, served.snapshot, table, table_label) if mode == "replace" and served else None
    st.caption(t("import_counties", lang, names=" · ".join(view.scope_names[:2 if view.county_name else 1])))
    with st.expander(t("import_columns", lang, table=table_label)):
        st.dataframe(column_guide(table), hide_index=True, placeholder=ABSENT, key="import_column_guide")

    uploads = st.file_uploader(t("import_files", lang, mb=settings.max_upload_mb()), type=["xlsx", "csv"],
                               accept_multiple_files=True, key="import_uploads",
                               max_upload_size=settings.max_upload_mb(), help=t("import_files_help", lang))
    if lang == "zh":   # Streamlit's own words in the box are English only (no documented way to change them)
        st.caption(t("import_uploader_words", lang, mb=settings.max_upload_mb()))
    too_big = [u.name for u in uploads or [] if u.size > max_bytes()]
    if too_big:
        st.error(t("import_too_big", lang, mb=settings.max_upload_mb(), names="、".join(too_big)))
    files = [LedgerFile(u.name, u.getvalue()) for u in uploads or [] if u.size <= max_bytes()]
    workbooks = workbook_sheets(files)
    refused = {digest: reason for digest, (_, reason) in workbooks.items() if reason}
    for file in files:
        if file.sha256 in refused:   # a decompression bomb, more rows than Excel holds: refused before it costs a core
            st.error(t("import_refused", lang, name=file.name, reason=refused[file.sha256]))
    files = [f for f in files if f.sha256 not in refused]

    sheet = None
    sheet_lists = [workbooks[f.sha256][0] for f in files if f.sha256 in workbooks]
    if len(sheet_lists) == 1 and len(sheet_lists[0]) > 1:
        sheet = st.selectbox(t("import_sheet", lang), sheet_lists[0], key="import_sheet")
    only_valid = st.checkbox(t("import_only_valid", lang), key="import_only_valid")

    request = (table, mode, only_valid, sheet, tuple(f.sha256 for f in files))
    outside = township_rows_outside(view, served, table, files, sheet)
    preview_column, confirm_column = st.columns([1, 5])
    if preview_column.button(t("import_check", lang), key="import_preview", disabled=not files or bool(outside)):
        checking = st.progress(0.0, text=t("import_checking", lang))
        try:
            with one_at_a_time():   # one check at a time: each holds a ledger's worth of memory
                # The check calls back every second or so while it reads rows: once this session has ended, the
                # progress bar's call raises there and the check stops (past FUPIN_CHECK_TIMEOUT_S it stops anyway).
                st.session_state["import_checked"] = (request, import_ledgers(
                    store, table, files, mode=mode, only_valid=only_valid, dry_run=True, sheet=sheet,
                    counties=view.filter.counties,
                    progress=lambda fraction, message: checking.progress(min(max(fraction, 0.0), 1.0), text=message)))
            st.session_state.pop("import_done", None)
        except ImportBusy:
            st.warning(t("import_busy", lang))
        except SnapshotError as e:   # also CheckTimeout: the check took longer than FUPIN_CHECK_TIMEOUT_S
            st.error(str(e))
        checking.empty()
    checked = st.session_state.get("import_checked")
    ready = checked is not None and checked[0] == request and checked[1].status == "checked"
    ready = ready and (mode != "replace" or confirmed is not None) and not outside
    change = "replace" if mode == "replace" else "import"
    if confirm_column.button(t("import_confirm", lang), key="import_confirm", type="primary", disabled=not ready,
                             on_click=acting.arm, args=("import_confirm", user.name, user.scope, change),
                             kwargs={"table": table}) and acting.armed("import_confirm"):
        bar = st.progress(0.0, text=t("import_started", lang))
        try:
            with one_at_a_time(WAIT_SECONDS):
                done = st.session_state["import_done"] = import_ledgers(
                    store, table, files, mode=mode, only_valid=only_valid, sheet=sheet, wait_seconds=WAIT_SECONDS,
                    replace_confirmed=confirmed, by=user.name, counties=view.filter.counties,
                    recheck=acting.recheck(user.name, user.scope, change, table=table),
                    progress=lambda fraction, message: bar.progress(min(max(fraction, 0.0), 1.0), text=message))
            st.session_state.pop("import_checked", None)
        except ImportBusy:
            st.error(t("import_busy", lang))
        except NotAllowed as refused:   # the account changed while the import waited or planned
            acting.say(refused, lang)
        except SnapshotError as e:   # busy store, damaged parent, disk full or read-only: one sentence
            st.error(str(e))

    done = st.session_state.get("import_done")
    if done is not None:
        show_result(done, lang)
    elif checked is not None and checked[0] == request:
        show_result(checked[1], lang)


def workbook_sheets(files: list[LedgerFile]) -> dict[str, tuple[list[str], str | None]]:
    """Each uploaded workbook's sheet names, or why it is refused, by its content's sha256: read once per upload and
    kept in the session only while that file is uploaded."""
    known = st.session_state.get("import_workbooks", {})
    workbooks = {}
    for file in files:
        if file.suffix == ".xlsx" and file.sha256 not in workbooks:
            if file.sha256 not in known:
                try:
                    known[file.sha256] = (sheet_names(file), None)
                except LedgerFileError as e:
                    known[file.sha256] = ([], str(e))
            workbooks[file.sha256] = known[file.sha256]
    st.session_state["import_workbooks"] = workbooks
    return workbooks


def township_rows_outside(view: View, served, table: str, files: list[LedgerFile], sheet: str | None) -> str | None:
    """For township staff: why the ledgers cannot be imported (rows of other townships), said on the page."""
    township = view.filter.township_lock
    if township is None or not files or served is None:
        return None
    message = check_township_rows(served.snapshot, table, files, township, sheet).message
    if message:
        st.error(message)
    return message


def history(view: View) -> None:
    """Every snapshot with its row counts and files, and making an older one current again."""
    lang, user, store = view.lang, view.user, data.store()
    st.subheader(t("import_history", lang))
    message = st.session_state.pop("import_switch_message", None)
    if message:
        (st.success if message[0] == "success" else st.error)(message[1])
    rows = snapshot_history(store, lang)
    st.dataframe(history_table(rows, lang), hide_index=True, placeholder=ABSENT, key="import_history")
    snapshots = {row.name + (t("current_mark", lang) if row.current else ""): row.snapshot   # names are unique
                 for row in rows.itertuples()}
    if snapshots:
        name = st.selectbox(t("import_shown_snapshot", lang), list(snapshots), key="import_snapshot")
        chosen = snapshots[name]
        if user.may("switch_current"):
            st.button(t("import_make_current", lang), key="import_set_current", disabled=chosen == store.current_id(),
                      on_click=switch_to, args=(user.name, user.scope, chosen, name, lang))


def audit_log(lang: str) -> None:
    """Who did what (imports, replacements, switches of CURRENT, boundaries, accounts, failed sign-ins), newest
    first, with its CSV."""
    st.subheader(t("audit_title", lang))
    entries = audit.frame(settings.data_dir(), lang)
    if entries.empty:   # an empty table would say Streamlit's own "empty"
        st.caption(t("audit_none", lang))
    else:
        st.dataframe(entries, hide_index=True, placeholder=ABSENT, key="audit_log")
    st.download_button(t("audit_download", lang), audit.csv(settings.data_dir()), file_name="审计日志.csv",
                       mime="text/csv", key="audit_csv", on_click="ignore")


def templates(lang: str) -> None:
    """An empty ledger of every table, as xlsx and as CSV, with its columns' headers."""
    st.subheader(t("import_templates", lang))
    st.caption(t("import_templates_note", lang))
    for name in IMPORTABLE_TABLES:
        label, xlsx, csv = st.columns([2, 1, 1])
        label.write(t(f"table_{name}", lang))
        xlsx.download_button(t("import_template_xlsx", lang), template_xlsx(name), file_name=template_name(name, ".xlsx"), mime=XLSX_MIME,
                             key=f"template_{name}_xlsx", on_click="ignore")
        csv.download_button(t("import_template_csv", lang), template_csv(name), file_name=template_name(name, ".csv"), mime="text/csv",
                            key=f"template_{name}_csv", on_click="ignore")
