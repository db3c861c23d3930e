"""The architecture is checked, not only described: the layers' contracts hold (and fail on a violation), the
engine imports no Streamlit, no module imports another in a cycle, only Streamlit's documented API is used, and the
code passes ruff."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

from fupin.settings import PROJECT_ROOT

ENGINE = ("store", "text", "query", "report", "ledger", "auth", "demo", "push", "cli", "service")
# Streamlit's internals: only documented API (st.*, st.App, st.testing) may be used; the load test's websocket client
# speaks Streamlit's protocol (streamlit.proto), the one module allowed it.
INTERNAL = re.compile(r"(from|import)\s+streamlit\.(runtime|web|proto)|streamlit\.(runtime|web|proto)\.|"
                      r"from\s+streamlit[\w.]*\s+import\s+[^\n]*\b_\w+|\bst\._\w+")
INTERNALS_ALLOWED = {Path("fupin/tools/loadtest.py"): {"streamlit.proto"}}


def lint_imports(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command as c; "
                           "sys.exit(c())"], cwd=folder, capture_output=True, text=True, timeout=120)


def test_the_import_contracts_hold():
    result = lint_imports(PROJECT_ROOT)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout


@pytest.mark.parametrize("module, imports, contract", [
    ("store/spy.py", "import streamlit", "Only ui imports Streamlit"),
    ("query/spy.py", "from ..report import page_data", "fupin.query is not allowed to import fupin.report"),
    ("report/spy.py", "from ..ledger import places", "fupin.report is not allowed to import fupin.ledger"),
])
def test_a_module_that_breaks_a_contract_fails_the_check(tmp_path, module, imports, contract):
    shutil.copytree(PROJECT_ROOT / "fupin", tmp_path / "fupin", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(PROJECT_ROOT / "pyproject.toml", tmp_path)
    (tmp_path / "fupin" / module).write_text(f'"""A module breaking a contract."""\n\n{imports}\n', encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode == 1 and contract in result.stdout and "1 broken" in result.stdout


def test_the_engine_imports_no_streamlit():
    code = ("import importlib, pkgutil, sys, fupin\n"
            f"for package in {ENGINE!r}:\n"
            "    root = importlib.import_module('fupin.' + package)\n"
            "    for found in pkgutil.walk_packages(root.__path__, root.__name__ + '.'):\n"
            "        importlib.import_module(found.name)\n"
            "print(sorted(m for m in sys.modules if m == 'streamlit' or m.startswith('streamlit.')))")
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "[]"


def cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The groups of modules that import each other, directly or through others (Tarjan's strong components)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while not group or group[-1] != module:
                group.append(stack.pop())
                on_stack.discard(group[-1])
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_no_module_imports_another_in_a_cycle():
    # Imports inside functions count: an import moved into a function does not hide a cycle.
    graph = grimp.build_graph("fupin", exclude_type_checking_imports=True)
    assert cycles(graph) == []


def test_the_cycle_check_finds_a_cycle():
    graph = grimp.ImportGraph()
    for a, b in (("p.a", "p.b"), ("p.b", "p.c"), ("p.c", "p.a"), ("p.c", "p.d")):
        graph.add_import(importer=a, imported=b)
    assert cycles(graph) == [["p.a", "p.b", "p.c"]]


def test_only_documented_streamlit_api_is_used():
    sources = [PROJECT_ROOT / "app.py", PROJECT_ROOT / "main.py", *(PROJECT_ROOT / "pages").glob("*.py"),
               *(PROJECT_ROOT / "fupin").rglob("*.py")]
    offenders = []
    for path in sources:
        relative = path.relative_to(PROJECT_ROOT)
        for match in INTERNAL.finditer(path.read_text(encoding="utf-8")):
            if not any(name in match.group(0) for name in INTERNALS_ALLOWED.get(relative, ())):
                offenders.append(f"{relative}: {match.group(0)}")
    assert offenders == []


@pytest.mark.parametrize("line", ["from streamlit.runtime.scriptrunner import get_script_run_ctx",
                                  "import streamlit.web.server", "from streamlit.proto import ForwardMsg_pb2",
                                  "from streamlit.elements import _private", "st._main.text('x')"])
def test_the_internals_check_catches_an_internal_use(line):
    assert INTERNAL.search(line)


def test_the_code_passes_ruff():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:]
