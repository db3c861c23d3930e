"""Loads the named SQL files of queries/ and checks their declared parameters."""

import re
from dataclasses import dataclass
from pathlib import Path

PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")
HEADER = re.compile(r"^--\s*(purpose|params):\s*(.*)$")


class QueryFileError(ValueError):
    """A query file lacks its header or declares parameters other than it uses."""


@dataclass(frozen=True)
class Query:
    """One named SQL statement with its purpose and bound parameter names."""

    name: str
    purpose: str
    params: frozenset[str]
    sql: str


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


def load_dir(directory: Path) -> dict[str, Query]:
    """Every `*.sql` file of a folder, by file stem."""
    return {path.stem: parse(path.stem, path.read_text(encoding="utf-8"))
            for path in sorted(Path(directory).glob("*.sql"))}
