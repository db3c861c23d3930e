"""The process's metrics for an operator (Prometheus text at /metrics): page runs, query times, errors, sign-ins and
imports counted where they happen; the gauges read when /metrics is asked for (fupin.service.health)."""

from prometheus_client import Counter, Gauge, Histogram

# Seconds: a page run or a query is usually well under a second; the long tail matters more than the middle.
BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

PAGE_RUNS = Counter("fupin_page_runs", "Page runs, by page", ["page"])
PAGE_SECONDS = Histogram("fupin_page_run_seconds", "Duration of a page run, by page", ["page"], buckets=BUCKETS)
QUERY_SECONDS = Histogram("fupin_query_seconds", "Duration of a named query run on DuckDB (not a cache hit)",
                          ["query"], buckets=BUCKETS)
ERRORS = Counter("fupin_errors", "Errors told to a person in one sentence, by kind", ["kind"])
SIGN_INS = Counter("fupin_sign_ins", "Sign-in attempts, by outcome (ok, failed, locked)", ["outcome"])
IMPORTS = Counter("fupin_imports", "Imports that wrote a snapshot, by mode (import, replace)", ["mode"])
ACTIVE_SESSIONS = Gauge("fupin_active_sessions", "Sign-in sessions that have not ended or expired")
SNAPSHOT_AS_OF = Gauge("fupin_snapshot_as_of_timestamp_seconds",
                       "The current snapshot's as-of date (midnight UTC, Unix time); 0 when none can be served")

# Audit actions counted as they are recorded (fupin.auth.audit).
_SIGN_IN_OUTCOMES = {"sign_in": "ok", "sign_in_failed": "failed", "sign_in_locked": "locked"}
_IMPORT_MODES = {"import": "import", "replace": "replace"}


def audited(action: str) -> None:
    """Count an audit entry that is a sign-in attempt or an import."""
    if action in _SIGN_IN_OUTCOMES:
        SIGN_INS.labels(_SIGN_IN_OUTCOMES[action]).inc()
    elif action in _IMPORT_MODES:
        IMPORTS.labels(_IMPORT_MODES[action]).inc()


def error(kind: str) -> None:
    """Count an error shown as one sentence: data (a damaged or unreadable snapshot), page, script, download."""
    ERRORS.labels(kind).inc()
