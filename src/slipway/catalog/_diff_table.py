"""Diff of one table (or materialized view) and what lives inside it."""

from __future__ import annotations

from slipway.catalog._compare import Collector, Spec, expr, listing, text
from slipway.catalog.model import (
    Column,
    Constraint,
    Index,
    Policy,
    Relation,
    Table,
    Trigger,
)

_IDENTITY = {"a": "ALWAYS", "d": "BY DEFAULT", "": "none"}
_TRIGGER_MODES = {
    "O": "enabled",
    "D": "disabled",
    "R": "enabled on replica only",
    "A": "enabled always",
}


def table(c: Collector, old: Table, new: Table) -> None:
    label, key = old.label, old.key
    spec: Spec = [("kind", "kind", str), ("partition_key", "partition key", text)]
    if (old.parent is None) == (new.parent is None):
        # Attached or detached says it all; a bound only changes between two attachments.
        spec = [*spec, ("partition_bound", "partition bound", text)]
    c.attrs(label, key, old, new, spec)
    if old.parent != new.parent:
        c.changed(label, key, _parent_message(old.parent, new.parent))
    c.flag(
        label,
        key,
        old.rls_enabled,
        new.rls_enabled,
        ("row level security now enabled", "row level security no longer enabled"),
    )
    c.flag(
        label,
        key,
        old.rls_forced,
        new.rls_forced,
        ("row level security now forced", "row level security no longer forced"),
    )
    c.flag(label, key, old.unlogged, new.unlogged, ("became unlogged", "became logged"))
    if sorted(old.reloptions) != sorted(new.reloptions):
        c.changed(
            label,
            key,
            f"storage options changed from {listing(old.reloptions)} to {listing(new.reloptions)}",
        )
    c.common(label, key, old, new)
    columns(c, old, new)
    c.keyed(
        old.constraints,
        new.constraints,
        lambda x: x.key_in(old),
        lambda x: x.label_in(old),
        lambda a, b: constraint(c, old, a, b),
    )
    indexes(c, old, old.indexes, new.indexes)
    c.keyed(
        old.policies,
        new.policies,
        lambda x: x.key_in(old),
        lambda x: x.label_in(old),
        lambda a, b: policy(c, old, a, b),
    )
    triggers(c, old, old.triggers, new.triggers)


def _parent_message(old: tuple[str, str] | None, new: tuple[str, str] | None) -> str:
    if new is None:
        return f"no longer a partition of {_dotted(old)}"
    if old is None:
        return f"now a partition of {_dotted(new)}"
    return f"partition parent changed from {_dotted(old)} to {_dotted(new)}"


def _dotted(parent: tuple[str, str] | None) -> str:
    if parent is None:
        return "none"
    return parent[1] if parent[0] == "public" else f"{parent[0]}.{parent[1]}"


def columns(c: Collector, rel: Table, new: Table) -> None:
    c.keyed(
        rel.columns,
        new.columns,
        lambda x: x.key_in(rel),
        lambda x: x.label_in(rel),
        lambda a, b: column(c, rel, a, b),
    )
    common = {col.name for col in rel.columns} & {col.name for col in new.columns}
    old_order = [col.name for col in rel.columns if col.name in common]
    new_order = [col.name for col in new.columns if col.name in common]
    if old_order != new_order:
        c.changed(
            rel.label,
            rel.key,
            f"column order changed from {listing(old_order)} to {listing(new_order)}",
        )


def column(c: Collector, rel: Relation, old: Column, new: Column) -> None:
    label, key = old.label_in(rel), old.key_in(rel)
    c.attrs(
        label,
        key,
        old,
        new,
        [
            ("type", "type", str),
            ("default", "default", expr),
            ("identity", "identity", lambda v: str(_IDENTITY.get(v, v))),
            ("generated", "generated expression", expr),
            ("collation", "collation", text),
        ],
    )
    if old.nullable != new.nullable:
        what = "nullable" if new.nullable else "NOT NULL"
        was = "nullable" if old.nullable else "NOT NULL"
        c.changed(label, key, f"changed from {was} to {what}")
    c.common(label, key, old, new)


def constraint(c: Collector, rel: Relation, old: Constraint, new: Constraint) -> None:
    label, key = old.label_in(rel), old.key_in(rel)
    # NOT VALID shows in the definition too; report it once, as validity.
    old_def = old.definition.removesuffix(" NOT VALID")
    new_def = new.definition.removesuffix(" NOT VALID")
    if old_def != new_def:
        c.changed(label, key, f"definition changed from {old_def} to {new_def}")
    c.flag(label, key, old.validated, new.validated, ("became validated", "became NOT VALID"))
    c.common(label, key, old, new)


def indexes(c: Collector, rel: Relation, old: tuple[Index, ...], new: tuple[Index, ...]) -> None:
    c.keyed(
        old,
        new,
        lambda x: x.key_in(rel),
        lambda x: x.label_in(rel),
        lambda a, b: index(c, rel, a, b),
    )


def index(c: Collector, rel: Relation, old: Index, new: Index) -> None:
    label, key = old.label_in(rel), old.key_in(rel)
    if old.definition != new.definition:
        c.changed(label, key, f"definition changed from {old.definition} to {new.definition}")
    c.flag(label, key, old.valid, new.valid, ("became valid", "became invalid"))
    c.common(label, key, old, new)


def policy(c: Collector, rel: Relation, old: Policy, new: Policy) -> None:
    label, key = old.label_in(rel), old.key_in(rel)
    c.attrs(
        label,
        key,
        old,
        new,
        [
            ("command", "command", str),
            ("roles", "roles", listing),
            ("using", "using", expr),
            ("with_check", "with check", expr),
        ],
    )
    c.flag(label, key, old.permissive, new.permissive, ("became permissive", "became restrictive"))


def triggers(
    c: Collector, rel: Relation, old: tuple[Trigger, ...], new: tuple[Trigger, ...]
) -> None:
    c.keyed(
        old,
        new,
        lambda x: x.key_in(rel),
        lambda x: x.label_in(rel),
        lambda a, b: trigger(c, rel, a, b),
    )


def trigger(c: Collector, rel: Relation, old: Trigger, new: Trigger) -> None:
    label, key = old.label_in(rel), old.key_in(rel)
    if old.definition != new.definition:
        c.changed(label, key, f"definition changed from {old.definition} to {new.definition}")
    if _mode(old) != _mode(new):
        c.changed(label, key, f"changed from {_mode(old)} to {_mode(new)}")
    c.common(label, key, old, new)


def _mode(t: Trigger) -> str:
    # A hand-built Trigger may say enabled=False and leave enabled_mode at its default.
    mode = t.enabled_mode if t.enabled else "D"
    return _TRIGGER_MODES.get(mode, mode)
