"""Compare two catalogs: a list of precise, human-readable changes.

`before` is the reference (the expected state, or the snapshot taken before a migration) and
`after` the state being checked. Objects only in `after` are "added", only in `before`
"removed", in both but different "changed". The words used for added/removed come from a
`Wording`: `DRIFT` ("index x added" / "index x dropped") or `ROLLBACK` ("index x left behind" /
"index x missing").

Noise that does not reflect the schema is never compared: OIDs, row estimates, sizes, column
ordinals (dropped columns leave gaps; relative column order is compared instead) and sequence
positions.
"""

from __future__ import annotations

from slipway.catalog import _diff_table
from slipway.catalog._compare import (
    ADDED,
    CHANGED,
    DRIFT,
    REMOVED,
    ROLLBACK,
    Change,
    Collector,
    Options,
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

__all__ = ["ADDED", "CHANGED", "DRIFT", "REMOVED", "ROLLBACK", "Change", "Wording", "diff"]


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
    c.common(old.label, old.key, old, new)


def _extension(c: Collector, old: Extension, new: Extension) -> None:
    c.attrs(old.label, old.key, old, new, [("version", "version", str), ("schema", "schema", str)])


def _enum(c: Collector, old: EnumType, new: EnumType) -> None:
    if old.labels != new.labels:
        c.changed(
            old.label,
            old.key,
            f"values changed from {listing(old.labels)} to {listing(new.labels)}",
        )
    c.common(old.label, old.key, old, new)


def _domain(c: Collector, old: Domain, new: Domain) -> None:
    c.attrs(
        old.label,
        old.key,
        old,
        new,
        [
            ("base_type", "base type", str),
            ("default", "default", expr),
            ("checks", "checks", listing),
        ],
    )
    c.flag(old.label, old.key, old.nullable, new.nullable, ("became nullable", "became NOT NULL"))
    c.common(old.label, old.key, old, new)


def _composite(c: Collector, old: CompositeType, new: CompositeType) -> None:
    def attrs(t: CompositeType) -> list[str]:
        return [f"{a.name} {a.type}" for a in t.attributes]

    if attrs(old) != attrs(new):
        c.changed(
            old.label,
            old.key,
            f"attributes changed from {listing(attrs(old))} to {listing(attrs(new))}",
        )
    c.common(old.label, old.key, old, new)


def _sequence(c: Collector, old: Sequence, new: Sequence) -> None:
    c.attrs(
        old.label,
        old.key,
        old,
        new,
        [
            ("type", "type", str),
            ("start", "start", str),
            ("increment", "increment", str),
            ("min_value", "minimum", str),
            ("max_value", "maximum", str),
            ("cache", "cache", str),
            ("owned_by", "owner column", text),
        ],
    )
    c.flag(old.label, old.key, old.cycle, new.cycle, ("now cycles", "no longer cycles"))
    c.common(old.label, old.key, old, new)


def _view(c: Collector, old: View, new: View) -> None:
    if old.definition != new.definition:
        c.changed(old.label, old.key, "definition differs")
    if sorted(old.options) != sorted(new.options):
        c.changed(
            old.label,
            old.key,
            f"options changed from {listing(old.options)} to {listing(new.options)}",
        )
    c.common(old.label, old.key, old, new)
    _diff_table.triggers(c, old, old.triggers, new.triggers)


def _matview(c: Collector, old: MatView, new: MatView) -> None:
    if old.definition != new.definition:
        c.changed(old.label, old.key, "definition differs")
    if sorted(old.options) != sorted(new.options):
        c.changed(
            old.label,
            old.key,
            f"options changed from {listing(old.options)} to {listing(new.options)}",
        )
    c.flag(
        old.label,
        old.key,
        old.populated,
        new.populated,
        ("became populated", "became unpopulated (WITH NO DATA)"),
    )
    c.common(old.label, old.key, old, new)
    _diff_table.indexes(c, old, old.indexes, new.indexes)


def _function(c: Collector, old: Function, new: Function) -> None:
    label, key = old.label, old.key
    before = len(c.changes)
    c.attrs(
        label,
        key,
        old,
        new,
        [
            ("kind", "kind", str),
            ("identity_args", "arguments", str),
            ("result", "result type", text),
            ("language", "language", str),
            ("volatility", "volatility", str),
            ("config", "settings", listing),
        ],
    )
    c.flag(
        label,
        key,
        old.security_definer,
        new.security_definer,
        ("became SECURITY DEFINER", "became SECURITY INVOKER"),
    )
    c.flag(label, key, old.strict, new.strict, ("became STRICT", "is no longer STRICT"))
    if old.source is not None and new.source is not None and old.source != new.source:
        c.changed(label, key, "body differs")
    elif old.definition != new.definition and len(c.changes) == before:
        # No named attribute explains it (or no separate body to compare): say so plainly.
        c.changed(label, key, "body differs" if old.source is None else "definition differs")
    c.common(label, key, old, new)
