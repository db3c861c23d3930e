"""导入 Import: upload ledgers (台账), check them, import them as a new snapshot, get templates, go back to an older snapshot."""

import streamlit as st

from fupin import settings
from fupin.ledger.columns import IMPORTABLE_TABLES, TABLE_LABELS
from fupin.ledger.files import LedgerFile, LedgerFileError, max_bytes, sheet_names
from fupin.ledger.history import LABELS, snapshot_history, switch_current
from fupin.ledger.importer import MODES, import_ledgers
from fupin.ledger.report import ERROR
from fupin.ledger.result import MODE_LABELS, file_summaries
from fupin.ledger.templates import column_guide, template_csv, template_name, template_xlsx
from fupin.snapshots import SnapshotError, SnapshotStore

# A page waits this long for another import to finish before telling the user to try again.
WAIT_SECONDS = 10.0
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

store = SnapshotStore(settings.data_dir())


def show_result(result) -> None:
    """The outcome of a check or an import: the message, counts per file, the report and its CSV download."""
    tell = {"rejected": st.error, "unchanged": st.info}.get(result.status, st.success)
    tell(result.message)
    st.dataframe(file_summaries(result), hide_index=True, key="import_files_summary")
    if result.report.entries:
        st.caption(f"报告：{result.report.count(ERROR)} 处错误，共 {len(result.report.entries)} 条")
        st.dataframe(result.report.frame(), hide_index=True, key="import_report")
        st.download_button("下载报告（CSV）", result.report.to_csv(), file_name="导入报告.csv", mime="text/csv",
                           key="import_report_csv", on_click="ignore")


def switch_to(snapshot_id: str) -> None:
    """Button callback: point CURRENT at the chosen snapshot before the page is drawn again."""
    try:
        switch_current(store, snapshot_id)
        st.session_state["import_switch_message"] = ("success", f"已切换：仪表盘现在显示快照 {snapshot_id}")
    except SnapshotError as e:
        st.session_state["import_switch_message"] = ("error", str(e))


st.title("导入台账")
st.caption("把 Excel 或 CSV 台账导入为一个新快照：先预检，看报告，再确认导入。旧快照都会保留，可以随时切换回去。")

if store.current_id() is None:
    st.info("数据目录中还没有快照，无法导入。请先生成演示快照：python -m fupin demo")
else:
    left, right = st.columns(2)
    tables = {TABLE_LABELS[name]: name for name in IMPORTABLE_TABLES}
    table = tables[left.selectbox("数据表", list(tables), key="import_table")]
    modes = {MODE_LABELS[name]: name for name in MODES}
    mode = modes[right.radio("导入方式", list(modes), horizontal=True, key="import_mode",
                             help="追加：在现有数据后加入新行；替换：用文件内容取代整张表")]
    if mode == "replace":
        st.warning(f"替换会用所选文件的内容取代整张{TABLE_LABELS[table]}（旧快照仍保留，可切换回去）。")
    with st.expander(f"{TABLE_LABELS[table]}的列（中文或英文表头均可）"):
        st.dataframe(column_guide(table), hide_index=True, key="import_column_guide")

    uploads = st.file_uploader("台账文件（.xlsx 或 .csv，可多选）", type=["xlsx", "csv"], accept_multiple_files=True,
                               key="import_uploads", max_upload_size=settings.max_upload_mb())
    too_big = [u.name for u in uploads or [] if u.size > max_bytes()]
    if too_big:
        st.error(f"文件超过 {settings.max_upload_mb()} MB 上限，未读取：{'、'.join(too_big)}")
    files = [LedgerFile(u.name, u.getvalue()) for u in uploads or [] if u.size <= max_bytes()]

    sheet = None
    workbooks = [f for f in files if f.suffix == ".xlsx"]
    if len(workbooks) == 1:
        try:
            sheets = sheet_names(workbooks[0])
        except LedgerFileError:
            sheets = []
        if len(sheets) > 1:
            sheet = st.selectbox("工作表", sheets, key="import_sheet")
    only_valid = st.checkbox("只导入有效行（有错误的行不导入，其余照常导入）", key="import_only_valid")

    request = (table, mode, only_valid, sheet, tuple(f.sha256 for f in files))
    preview_column, confirm_column = st.columns([1, 5])
    if preview_column.button("预检", key="import_preview", disabled=not files):
        st.session_state["import_checked"] = (request, import_ledgers(
            store, table, files, mode=mode, only_valid=only_valid, dry_run=True, sheet=sheet))
        st.session_state.pop("import_done", None)
    checked = st.session_state.get("import_checked")
    ready = checked is not None and checked[0] == request and checked[1].status == "checked"
    if confirm_column.button("确认导入", key="import_confirm", type="primary", disabled=not ready):
        bar = st.progress(0.0, text="开始导入")
        try:
            st.session_state["import_done"] = import_ledgers(
                store, table, files, mode=mode, only_valid=only_valid, sheet=sheet, wait_seconds=WAIT_SECONDS,
                progress=lambda fraction, message: bar.progress(min(max(fraction, 0.0), 1.0), text=message))
            st.session_state.pop("import_checked", None)
        except SnapshotError as e:
            st.error(str(e))

    done = st.session_state.get("import_done")
    if done is not None:
        show_result(done)
    elif checked is not None and checked[0] == request:
        show_result(checked[1])

    st.subheader("快照历史")
    message = st.session_state.pop("import_switch_message", None)
    if message:
        (st.success if message[0] == "success" else st.error)(message[1])
    history = snapshot_history(store)
    st.dataframe(history.rename(columns=LABELS), hide_index=True, key="import_history")
    snapshots = {f"{row.snapshot}（截至 {row.as_of}{'，当前' if row.current else ''}）": row.snapshot
                 for row in history.itertuples()}
    chosen = snapshots[st.selectbox("仪表盘显示的快照", list(snapshots), key="import_snapshot")]
    st.button("设为当前快照", key="import_set_current", disabled=chosen == store.current_id(),
              on_click=switch_to, args=(chosen,))

st.subheader("空白模板")
st.caption("第一行是表头；xlsx 模板的第二个工作表是填写说明。")
for name in IMPORTABLE_TABLES:
    label, xlsx, csv = st.columns([2, 1, 1])
    label.write(TABLE_LABELS[name])
    xlsx.download_button("Excel 模板", template_xlsx(name), file_name=template_name(name, ".xlsx"), mime=XLSX_MIME,
                         key=f"template_{name}_xlsx", on_click="ignore")
    csv.download_button("CSV 模板", template_csv(name), file_name=template_name(name, ".csv"), mime="text/csv",
                        key=f"template_{name}_csv", on_click="ignore")
