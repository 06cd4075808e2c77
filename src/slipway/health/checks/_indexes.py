"""Helpers shared by the index checks (not a check)."""

from __future__ import annotations

from slipway.catalog.model import Index, MatView, Table

Relation = Table | MatView


def index_name(rel: Relation, ix: Index) -> str:
    return f"{rel.schema}.{ix.name}"


def keep_rank(ix: Index) -> tuple[int, int, int, str]:
    """Which of two equal indexes to keep: constraint-backed, unique, then by name."""
    return (
        0 if ix.primary else 1,
        0 if ix.constraint else 1,
        0 if ix.unique else 1,
        ix.name,
    )


def shape(rel: Relation, ix: Index) -> tuple[object, ...]:
    """Everything that makes two indexes answer the same queries: the key columns with their
    operator classes, collations and ordering, INCLUDE columns and predicate."""
    return ((rel.schema, rel.name), ix.method, ix.key_specs, ix.include, ix.predicate)


def droppable(ix: Index) -> bool:
    """An index that enforces nothing (dropping it changes only performance)."""
    return not (ix.unique or ix.primary or ix.constraint)


def plain_columns(rel: Relation, ix: Index) -> bool:
    """Whether every key column is a column of the table (no expression)."""
    names = {c.name for c in rel.columns}
    return all(c in names for c in ix.columns)
