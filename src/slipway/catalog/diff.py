"""Compare two catalogs: a list of precise, human-readable changes.

`before` is the reference (the expected state, or the snapshot taken before a migration) and
`after` the state being checked. Objects only in `after` are "added", only in `before`
"removed", in both but different "changed". The words used for added/removed come from a
`Wording`: `DRIFT` ("index x added" / "index x dropped") or `ROLLBACK` ("index x left behind" /
"index x missing").

Noise that does not reflect the schema is never compared: OIDs, row estimates, sizes, column
ordinals (dropped columns leave gaps; relative column order is compared instead, as a change
of kind COLUMN_ORDER, also for a view whose columns only moved with its table's) and sequence
positions.
"""

from __future__ import annotations

from slipway.catalog import _diff_table
from slipway.catalog._compare import (
    ADDED,
    CHANGED,
    COLUMN_ORDER,
    DRIFT,
    REMOVED,
    ROLLBACK,
    Change,
    Collector,
    On,
    Options,
    Spec,
    Wording,
    expr,
    listing,
    text,
)
from slipway.catalog.model import (
    Catalog,
    CatalogObject,
    CompositeType,
    Domain,
    EnumType,
    Extension,
    Function,
    Key,
    MatView,
    Schema,
    Sequence,
    View,
)

__all__ = [
    "ADDED",
    "CHANGED",
    "COLUMN_ORDER",
    "DRIFT",
    "REMOVED",
    "ROLLBACK",
    "Change",
    "Wording",
    "diff",
]


def diff(
    before: Catalog,
    after: Catalog,
    *,
    compare_privileges: bool = True,
    compare_owner: bool = True,
    wording: Wording = DRIFT,
) -> list[Change]:
    """Every difference between `before` and `after`, in a stable order."""
    c = Collector(Options(wording, compare_privileges, compare_owner))
    c.keyed(before.schemas, after.schemas, _key, _label, lambda a, b: _schema(c, a, b))
    c.keyed(before.extensions, after.extensions, _key, _label, lambda a, b: _extension(c, a, b))
    c.keyed(before.enums, after.enums, _key, _label, lambda a, b: _enum(c, a, b))
    c.keyed(before.domains, after.domains, _key, _label, lambda a, b: _domain(c, a, b))
    c.keyed(before.composites, after.composites, _key, _label, lambda a, b: _composite(c, a, b))
    c.keyed(before.sequences, after.sequences, _key, _label, lambda a, b: _sequence(c, a, b))
    c.keyed(before.tables, after.tables, _key, _label, lambda a, b: _diff_table.table(c, a, b))
    c.keyed(before.views, after.views, _key, _label, lambda a, b: _view(c, a, b))
    c.keyed(before.matviews, after.matviews, _key, _label, lambda a, b: _matview(c, a, b))
    c.keyed(before.functions, after.functions, _key, _label, lambda a, b: _function(c, a, b))
    return c.changes


def _key(obj: CatalogObject) -> Key:
    return obj.key


def _label(obj: CatalogObject) -> str:
    return obj.label


def _schema(c: Collector, old: Schema, new: Schema) -> None:
    c.on(old.label, old.key).common(old, new)


def _extension(c: Collector, old: Extension, new: Extension) -> None:
    c.on(old.label, old.key).attrs(
        old, new, [("version", "version", str), ("schema", "schema", str)]
    )


def _enum(c: Collector, old: EnumType, new: EnumType) -> None:
    o = c.on(old.label, old.key)
    o.lists(old.labels, new.labels, "values")
    o.common(old, new)


def _domain(c: Collector, old: Domain, new: Domain) -> None:
    o = c.on(old.label, old.key)
    o.attrs(old, new, [("base_type", "base type", str), ("default", "default", expr)])
    o.lists(old.checks, new.checks, "checks")
    o.flag(old.nullable, new.nullable, ("became nullable", "became NOT NULL"))
    o.common(old, new)


def _composite(c: Collector, old: CompositeType, new: CompositeType) -> None:
    o = c.on(old.label, old.key)
    o.lists(_attributes(old), _attributes(new), "attributes")
    o.common(old, new)


def _attributes(t: CompositeType) -> list[str]:
    return [f"{a.name} {a.type}" for a in t.attributes]


_SEQUENCE: Spec = [
    ("type", "type", str),
    ("start", "start", str),
    ("increment", "increment", str),
    ("min_value", "minimum", str),
    ("max_value", "maximum", str),
    ("cache", "cache", str),
    ("owned_by", "owner column", text),
]


def _sequence(c: Collector, old: Sequence, new: Sequence) -> None:
    o = c.on(old.label, old.key)
    o.attrs(old, new, _SEQUENCE)
    o.flag(old.cycle, new.cycle, ("now cycles", "no longer cycles"))
    o.common(old, new)


def _view_like(o: On, old: View | MatView, new: View | MatView) -> None:
    if old.definition != new.definition and _reordered(old, new):
        # Over `t.*` a view follows t's column order: when t's columns only moved (its own
        # column-order change), the view's did too, and that is all.
        message = (
            f"column order of {old.label} changed: {', '.join(c.name for c in new.columns)}"
            f" (was {', '.join(c.name for c in old.columns)})"
        )
        o.c.add(COLUMN_ORDER, old.label, message, old.key)
    else:
        o.differs(old.definition, new.definition, "definition differs")
    o.lists(sorted(old.options), sorted(new.options), "options")
    o.common(old, new)


def _reordered(old: View | MatView, new: View | MatView) -> bool:
    """The same columns in another order, and the same definition lines in another order."""

    def cols(v: View | MatView) -> list[tuple[str, str]]:
        return [(c.name, c.type) for c in v.columns]

    def lines(v: View | MatView) -> list[str]:
        return sorted(line.rstrip().rstrip(",") for line in v.definition.splitlines())

    return (
        cols(old) != cols(new)
        and sorted(cols(old)) == sorted(cols(new))
        and lines(old) == lines(new)
    )


def _view(c: Collector, old: View, new: View) -> None:
    _view_like(c.on(old.label, old.key), old, new)
    _diff_table.members(c, old, old.triggers, new.triggers, _diff_table.trigger)


def _matview(c: Collector, old: MatView, new: MatView) -> None:
    o = c.on(old.label, old.key)
    _view_like(o, old, new)
    o.flag(old.populated, new.populated, ("became populated", "became unpopulated (WITH NO DATA)"))
    _diff_table.members(c, old, old.indexes, new.indexes, _diff_table.index)


_FUNCTION: Spec = [
    ("kind", "kind", str),
    ("identity_args", "arguments", str),
    ("result", "result type", text),
    ("language", "language", str),
    ("volatility", "volatility", str),
    ("config", "settings", listing),
]


def _function(c: Collector, old: Function, new: Function) -> None:
    o = c.on(old.label, old.key)
    before = len(c.changes)
    o.attrs(old, new, _FUNCTION)
    o.flag(old.security_definer, new.security_definer,
           ("became SECURITY DEFINER", "became SECURITY INVOKER"))  # fmt: skip
    o.flag(old.strict, new.strict, ("became STRICT", "is no longer STRICT"))
    if old.source is not None and new.source is not None and old.source != new.source:
        o.changed("body differs")
    elif old.definition != new.definition and len(c.changes) == before:
        # No named attribute explains it (or no separate body to compare): say so plainly.
        o.changed("body differs" if old.source is None else "definition differs")
    o.common(old, new)
