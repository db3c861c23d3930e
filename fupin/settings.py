"""Settings, read from the environment with documented defaults."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
REFERENCE_DIR = PROJECT_ROOT / "data" / "reference"
QUERIES_DIR = PROJECT_ROOT / "queries"


def data_dir() -> Path:
    """Where snapshots live: $FUPIN_DATA, default `data/` in the project."""
    return Path(os.environ.get("FUPIN_DATA", PROJECT_ROOT / "data"))


def max_upload_mb() -> int:
    """Largest ledger file accepted for import, in MB: $FUPIN_MAX_UPLOAD_MB, default 50."""
    return int(os.environ.get("FUPIN_MAX_UPLOAD_MB", "50"))


def chromium() -> str:
    """The Chromium the load test drives: $FUPIN_CHROMIUM, default Debian's /usr/bin/chromium."""
    return os.environ.get("FUPIN_CHROMIUM", "/usr/bin/chromium")


def default_scope() -> str | None:
    """The scope a view opens on (a county code, a city code or a group code such as samr): $FUPIN_SCOPE; unset, the
    snapshot's first county in code order (垣曲县 140827 in the demo)."""
    return os.environ.get("FUPIN_SCOPE") or None
