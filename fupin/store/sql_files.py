"""Loads the SQL files of queries/ (every folder: one per dataset, `base/` for the table macros the queries build on,
`ledger/` for the importer's) and checks their declared parameters; a query's name is its file's stem, unique across
the folders."""

import functools
import re
from dataclasses import dataclass, replace
from pathlib import Path

from ..settings import QUERIES_DIR

PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")
HEADER = re.compile(r"^--\s*(purpose|params):\s*(.*)$")


class QueryFileError(ValueError):
    """A query file lacks its header or declares parameters other than it uses."""


@dataclass(frozen=True)
class Query:
    """One named SQL statement with its purpose, bound parameter names and the folder of queries/ it is in."""

    name: str
    purpose: str
    params: frozenset[str]
    sql: str
    folder: str = ""


def _strip_comments(sql: str) -> str:
    return "\n".join(line.split("--", 1)[0] for line in sql.splitlines())


def parse(name: str, text: str) -> Query:
    """Parse a query file: `-- purpose: ...`, `-- params: $a, $b` (or none), then the SQL."""
    header = {}
    for line in text.splitlines():
        match = HEADER.match(line.strip())
        if match:
            header[match.group(1)] = match.group(2).strip()
        elif line.strip() and not line.strip().startswith("--"):
            break
    if "purpose" not in header or "params" not in header:
        raise QueryFileError(f"{name}.sql: needs '-- purpose:' and '-- params:' header lines")
    declared = frozenset(PARAM.findall(header["params"]))
    used = frozenset(PARAM.findall(_strip_comments(text)))
    if declared != used:
        raise QueryFileError(
            f"{name}.sql: declared params {sorted(declared)} but uses {sorted(used)}")
    return Query(name, header["purpose"], declared, text)


def load_tree(root: Path) -> dict[str, Query]:
    """Every `*.sql` file under a folder, at any depth, by file stem; QueryFileError when two share a name."""
    found: dict[str, Query] = {}
    for path in sorted(Path(root).rglob("*.sql")):
        if path.stem in found:
            raise QueryFileError(f"{path.stem}.sql: the name is taken in {found[path.stem].folder or '.'}/ too")
        folder = path.parent.relative_to(root).as_posix()
        query = parse(path.stem, path.read_text(encoding="utf-8"))
        found[path.stem] = replace(query, folder="" if folder == "." else folder)
    return found


@functools.cache
def project_queries() -> dict[str, Query]:
    """The queries of the project's queries/ folder."""
    return load_tree(QUERIES_DIR)


def in_folder(folder: str) -> dict[str, Query]:
    """The project's queries of one folder of queries/ (e.g. "base", "ledger"), by name."""
    return {name: q for name, q in project_queries().items() if q.folder == folder}
