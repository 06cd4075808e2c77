"""Helpers shared by the index checks (not a check)."""

from __future__ import annotations

from slipway.health.facts import Row


def index_name(ix: Row) -> str:
    return f"{ix['schema']}.{ix['name']}"


def keep_rank(ix: Row) -> tuple[int, int, int, str]:
    """Which of two equal indexes to keep: constraint-backed, unique, then by name."""
    return (
        0 if ix["is_primary"] else 1,
        0 if ix["constraint_name"] else 1,
        0 if ix["is_unique"] else 1,
        ix["name"],
    )


def shape(ix: Row) -> tuple[object, ...]:
    """Everything that makes two indexes answer the same queries."""
    return (
        ix["table_oid"],
        ix["method"],
        tuple(ix["keys"]),
        ix["opclasses"],
        ix["collations"],
        ix["options"],
        ix["expressions"],
        ix["predicate"],
    )


def droppable(ix: Row) -> bool:
    """An index that enforces nothing (dropping it changes only performance)."""
    return not (ix["is_unique"] or ix["is_primary"] or ix["constraint_name"])
