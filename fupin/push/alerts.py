"""What is new in an attention list since the last send: each item has keys that name it without its changing
figures (a place and metric behind schedule, a failed item where it failed and how many batches, a warning's offer
and level, a deregistered cooperative), and an item with a key not sent before is new."""

from collections.abc import Iterable


def item_keys(item: dict) -> list[str]:
    """The keys of one attention item (the brief's JSON form, `fupin.report.attention.Item.to_dict`)."""
    kind, details = item["kind"], item.get("details") or []
    if kind == "failed_inspections":
        # One more failed batch anywhere is news: the count is part of the key.
        return [f"{kind}:{d.get('failed_item')}:{d.get('code')}:{d.get('batches')}" for d in details]
    if kind == "unsold_warning":
        return [f"{kind}:{d.get('offer_id')}:{d.get('warning_level')}" for d in details]
    if kind == "deregistered_cooperatives":
        return [f"{kind}:{d.get('credit_code')}" for d in details]
    return [f"{kind}:{item['scope_code']}:{item['metric']}"]


def keys(items: Iterable[dict]) -> list[str]:
    """Every key of a list, sorted (as the delivery log keeps them)."""
    return sorted({key for item in items for key in item_keys(item)})


def new_items(items: Iterable[dict], sent_before: Iterable[str] | None) -> list[dict]:
    """The items with a key not sent before (all of them when nothing was sent yet)."""
    before = set(sent_before or ())
    return [item for item in items if not set(item_keys(item)) <= before]


def reason(item: dict, lang: str) -> str:
    """An item's one-line reason in the reader's language."""
    return item["reason"] if lang == "zh" else item["reason_en"]
