"""Checked ledger rows as rows of the snapshot's tables: codes, dates, numbers, looked-up places and buyers."""

import pandas as pd

from ..store.schema import CHANNEL_OF_BUYER_TYPE, COUNTY_FROM, TABLES
from .channel_rules import CONVERTERS as CHANNEL_CONVERTERS
from .validation import Context, row_county
from .values import (
    CODED,
    parse_cooperative_code,
    parse_count,
    parse_credit_code,
    parse_date,
    parse_due,
    parse_harvest_date,
    parse_phone,
    parse_quantity,
    parse_units,
    parse_year,
)

# A purchase's channel when the ledger leaves it empty, by buyer type (as in the demo data).
ID_COLUMNS = {"purchases": "purchase_id", "inspections": "inspection_id", "offers": "offer_id",
              "channel_sales": "sale_id"}


def _maybe(parse, text):
    return parse(text) if text is not None else None


def _code(field: str, text: str | None) -> str | None:
    return CODED[field].parse(text) if text is not None else None


def _county(r, ctx: Context) -> str | None:
    """The county a row names in its 县 column (None: its township is looked up in the import's counties)."""
    return ctx.places.county(r.county) if r.county is not None else None


def _purchase(r, ctx: Context) -> dict:
    day = parse_date(r.purchase_date)
    township = ctx.places.township(r.township, day.year, _county(r, ctx))
    buyer_id, buyer_type = ctx.buyers.resolve(r.buyer_name, township[:6])
    village = ctx.places.village(r.village, township, day.year)
    return {
        "purchase_date": day, "buyer_id": buyer_id, "buyer_type": buyer_type,
        "channel": _code("channel", r.channel) or CHANNEL_OF_BUYER_TYPE[buyer_type],
        "supplier_type": _code("supplier_type", r.supplier_type), "supplier_name": r.supplier_name,
        "supplier_credit_code": _maybe(parse_credit_code, r.supplier_credit_code),
        "township_code": township, "village_code": village,
        "from_poor_village": ctx.places.is_poor_village(village),
        "product_category": r.product_category, "product_name": r.product_name,
        "weight_kg": parse_quantity(r.weight_kg), "amount_yuan": parse_quantity(r.amount_yuan),
    }


def _inspection(r, ctx: Context) -> dict:
    day = parse_date(r.sample_date)
    return {
        "sample_date": day, "inspection_type": _code("inspection_type", r.inspection_type),
        "food_category": r.food_category, "product_name": r.product_name,
        "venue_type": _code("venue_type", r.venue_type), "venue_name": r.venue_name,
        "township_code": ctx.places.township(r.township, day.year, _county(r, ctx)),
        "result": _code("result", r.result), "failed_item": r.failed_item,
    }


def _cooperative(r, ctx: Context) -> dict:
    day = parse_date(r.registered_date)
    township = ctx.places.township(r.township, day.year, _county(r, ctx))
    return {
        "credit_code": parse_cooperative_code(r.credit_code), "cooperative_name": r.cooperative_name,
        "township_code": township,
        "village_code": ctx.places.village(r.village, township, day.year) if r.village is not None else None,
        "industry": r.industry, "registered_date": day,
        "deregistered_date": _maybe(parse_date, r.deregistered_date),
        "members": _maybe(parse_count, r.members),
        "poor_household_members": _maybe(parse_count, r.poor_household_members),
    }


def _target(r, ctx: Context) -> dict:
    year = parse_year(r.year)
    return {"year": year, "scope_code": ctx.places.scope(r.scope, year, _county(r, ctx)), "metric": _code("metric", r.metric),
            "target_value": parse_quantity(r.target_value)}


def _offer(r, ctx: Context) -> dict:
    start = parse_harvest_date(r.harvest_from)
    township = ctx.places.township(r.township, start.year, _county(r, ctx))
    return {
        "township_code": township, "village_code": ctx.places.village(r.village, township, start.year),
        "supplier_type": _code("offer_supplier_type", r.supplier_type), "supplier_name": r.supplier_name,
        "supplier_credit_code": _maybe(parse_credit_code, r.supplier_credit_code),
        "product_category": r.product_category, "product_name": r.product_name,
        "quantity_kg": parse_quantity(r.quantity_kg),
        "expected_price_yuan_per_kg": _maybe(parse_quantity, r.expected_price_yuan_per_kg),
        "harvest_from": start, "harvest_to": parse_harvest_date(r.harvest_to), "keeps_days": parse_count(r.keeps_days),
        "contact_name": r.contact_name, "contact_phone": _maybe(parse_phone, r.contact_phone),
    }


def _task(r, ctx: Context) -> dict:
    day = parse_date(r.update_date)
    due = parse_due(r.due_on)
    return {
        "county_code": row_county(ctx.places, "tasks", r.update_date, r.county, None),
        "plan_name": r.plan_name, "plan_issuer": r.plan_issuer, "plan_issued_on": parse_date(r.plan_issued_on),
        "task_no": parse_count(r.task_no), "section": r.section, "task_text": r.task_text,
        "lead_units": parse_units(r.lead_units), "support_units": _maybe(parse_units, r.support_units),
        "due_on": due, "long_term": due is None, "status": _code("task_status", r.status),
        "progress_note": r.progress_note, "update_date": day, "evidence": r.evidence,
    }


def _township_of(r, ctx: Context, year: int) -> str | None:
    return ctx.places.township(r.township, year, _county(r, ctx)) if r.township is not None else None


def _help_fund(r, ctx: Context) -> dict:
    day = parse_date(r.fund_date)
    return {
        "fund_date": day, "county_code": row_county(ctx.places, "help_funds", r.fund_date, r.county, r.township),
        "township_code": _township_of(r, ctx, day.year),
        "fund_kind": _code("fund_kind", r.fund_kind), "source_name": r.source_name,
        "source_credit_code": _maybe(parse_credit_code, r.source_credit_code),
        "purpose": _code("fund_purpose", r.purpose), "project": r.project, "amount_yuan": parse_quantity(r.amount_yuan),
    }


def _pairing(r, ctx: Context) -> dict:
    day = parse_date(r.paired_since)
    township = _township_of(r, ctx, day.year)
    return {"county_code": township[:6], "township_code": township, "unit_name": r.unit_name, "paired_since": day,
            "pairing_mode": _code("pairing_mode", r.pairing_mode)}


def _visit(r, ctx: Context) -> dict:
    day = parse_date(r.visit_date)
    township = _township_of(r, ctx, day.year)
    return {"visit_date": day, "county_code": township[:6], "township_code": township, "unit_name": r.unit_name,
            "visit_kind": _code("visit_kind", r.visit_kind), "people": _maybe(parse_count, r.people), "note": r.note}


def _industry(r, ctx: Context) -> dict:
    year = parse_year(r.year)
    township = _township_of(r, ctx, year)
    return {
        "year": year, "county_code": township[:6], "township_code": township,
        "village_code": ctx.places.village(r.village, township, year) if r.village is not None else None,
        "industry": r.industry, "project": r.project, "facilities": _maybe(parse_count, r.facilities),
        "scale": _maybe(parse_quantity, r.scale), "scale_unit": r.scale_unit,
        "poor_households": _maybe(parse_count, r.poor_households),
        "farm_households": _maybe(parse_count, r.farm_households),
        "people_employed": _maybe(parse_count, r.people_employed),
        "investment_yuan": _maybe(parse_quantity, r.investment_yuan),
    }


CONVERTERS = {"purchases": _purchase, "inspections": _inspection, "cooperatives": _cooperative, "targets": _target,
              "offers": _offer, "tasks": _task, "help_funds": _help_fund, "pairings": _pairing, "visits": _visit,
              "industries": _industry, **CHANNEL_CONVERTERS}


def table_columns(table: str) -> list[str]:
    """The table's columns a ledger fills: all but the generated id and, where a place code gives it (COUNTY_FROM),
    the county, which the snapshot writer then takes from that code."""
    return [name for name in TABLES[table].names
            if name != ID_COLUMNS.get(table) and (name != "county_code" or table not in COUNTY_FROM)]


def to_rows(frame: pd.DataFrame, table: str, ctx: Context) -> pd.DataFrame:
    """Table rows, with the same index, for ledger rows that passed validation (Python values, None for empty)."""
    convert = CONVERTERS[table]
    records = [convert(r, ctx) for r in frame.itertuples(index=False)]
    return pd.DataFrame(records, index=frame.index, columns=table_columns(table), dtype=object)
