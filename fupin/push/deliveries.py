"""The delivery log, `data/push_deliveries.jsonl`: one line per channel and send (time, subscription, channel, slot,
outcome, tries, the provider's message), only ever appended; it says which slots were sent, and what an alert
subscription sent last."""

from pathlib import Path

import pandas as pd

from ..auth.audit import append, now_beijing, read
from ..text.i18n import t

FILE_NAME = "push_deliveries.jsonl"
OUTCOMES = ("sent", "failed", "skipped")
KINDS = ("scheduled", "now", "test")
COLUMNS = ("time", "subscription", "channel", "kind", "slot", "outcome", "tries", "message")
SHOWN = 100


def log_path(data_dir: Path) -> Path:
    return Path(data_dir) / FILE_NAME


def record(data_dir: Path, subscription: str, channel, kind: str, outcome: str, message: str, *,
           slot: str | None = None, tries: int = 0, as_of: str | None = None,
           attention_keys: list[str] | None = None) -> dict:
    """Append what happened to one channel of a subscription (`channel` a subscriptions.Channel, or None for the
    whole subscription) and return the entry."""
    if outcome not in OUTCOMES or kind not in KINDS:
        raise ValueError(f"unknown delivery {kind!r} {outcome!r}")
    entry = {"time": now_beijing(), "subscription": subscription,
             "channel_id": channel.id if channel else None, "channel": channel.label() if channel else "",
             "kind": kind, "slot": slot, "outcome": outcome, "tries": tries, "message": message, "as_of": as_of}
    if attention_keys is not None:
        entry["attention_keys"] = attention_keys
    append(log_path(data_dir), entry)
    return entry


def entries(data_dir: Path) -> list[dict]:
    """Every entry, oldest first."""
    return read(log_path(data_dir))


def slot_done(log: list[dict], subscription: str, channel_id: str | None, slot: str) -> bool:
    """Whether a scheduled slot has an outcome for this channel (sent, failed after its tries, or skipped): a slot
    is tried once, whatever came of it."""
    return any(e.get("subscription") == subscription and e.get("slot") == slot and e.get("kind") == "scheduled"
               and e.get("channel_id") in (channel_id, None) for e in log)


def last_sent_keys(log: list[dict], subscription: str) -> list[str] | None:
    """The attention keys of the subscription's last successful send (None: never sent)."""
    sent = [e for e in log if e.get("subscription") == subscription and e.get("outcome") == "sent"
            and e.get("kind") != "test" and "attention_keys" in e]
    return sent[-1]["attention_keys"] if sent else None


def latest(log: list[dict]) -> dict[str, dict]:
    """Each subscription's last entry."""
    return {e["subscription"]: e for e in log if "subscription" in e}


def summary(entry: dict | None, lang: str = "zh") -> str:
    """An entry in a few words: its time to the minute and its outcome (2026-11-23 08:00 已发送); empty for none."""
    if not entry:
        return ""
    outcome = entry.get("outcome")
    said = t(f"delivery_{outcome}", lang) if outcome in OUTCOMES else str(outcome)
    return f"{str(entry.get('time', ''))[:16].replace('T', ' ')} {said}"


def frame(data_dir: Path, subscriptions: set[str] | None, lang: str = "zh") -> pd.DataFrame:
    """The last SHOWN entries of the given subscriptions (None: all) as a table, failures first, then newest first."""
    rows = [e for e in entries(data_dir) if "subscription" in e
            and (subscriptions is None or e["subscription"] in subscriptions)][-SHOWN:]
    table = pd.DataFrame([{c: e.get(c) for c in COLUMNS} for e in rows], columns=list(COLUMNS))
    table["order"] = table["outcome"] != "failed"
    table = table.iloc[::-1].sort_values("order", kind="stable").drop(columns="order")
    table["time"] = table["time"].str.replace("T", " ").str.removesuffix("+08:00")
    table["outcome"] = [t(f"delivery_{o}", lang) if o in OUTCOMES else o for o in table["outcome"]]
    table["kind"] = [t(f"delivery_kind_{k}", lang) if k in KINDS else k for k in table["kind"]]
    return table.rename(columns={c: t(f"delivery_{c}", lang) for c in COLUMNS})
