"""Diff of one table (or view / materialized view) and what lives inside it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from slipway.catalog._compare import COLUMN_ORDER, Collector, On, Spec, expr, listing, text
from slipway.catalog.model import (
    Column,
    Constraint,
    Index,
    Key,
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
_COLUMN: Spec = [
    ("type", "type", str),
    ("default", "default", expr),
    ("identity", "identity", lambda v: str(_IDENTITY.get(v, v))),
    ("generated", "generated expression", expr),
    ("collation", "collation", text),
]
_POLICY: Spec = [
    ("command", "command", str),
    ("roles", "roles", listing),
    ("using", "using", expr),
    ("with_check", "with check", expr),
]


class _Member(Protocol):
    def key_in(self, rel: Relation) -> Key: ...

    def label_in(self, rel: Relation) -> str: ...


M = TypeVar("M", bound=_Member)


def members(
    c: Collector,
    rel: Relation,
    old: tuple[M, ...],
    new: tuple[M, ...],
    compare: Callable[[On, M, M], None],
) -> None:
    """Match a table's columns / constraints / indexes / ... by key and compare each pair."""

    def pair(a: M, b: M) -> None:
        compare(c.on(a.label_in(rel), a.key_in(rel)), a, b)

    c.keyed(old, new, lambda x: x.key_in(rel), lambda x: x.label_in(rel), pair)


def table(c: Collector, old: Table, new: Table) -> None:
    o = c.on(old.label, old.key)
    spec: Spec = [("kind", "kind", str), ("partition_key", "partition key", text)]
    if (old.parent is None) == (new.parent is None):
        # Attached or detached says it all; a bound only changes between two attachments.
        spec = [*spec, ("partition_bound", "partition bound", text)]
    o.attrs(old, new, spec)
    if old.parent != new.parent:
        o.changed(_parent_message(old.parent, new.parent))
    o.flag(old.rls_enabled, new.rls_enabled,
           ("row level security now enabled", "row level security no longer enabled"))  # fmt: skip
    o.flag(old.rls_forced, new.rls_forced,
           ("row level security now forced", "row level security no longer forced"))  # fmt: skip
    o.flag(old.unlogged, new.unlogged, ("became unlogged", "became logged"))
    o.lists(sorted(old.reloptions), sorted(new.reloptions), "storage options")
    o.common(old, new)
    members(c, old, old.columns, new.columns, column)
    _column_order(c, old, new)
    members(c, old, old.constraints, new.constraints, constraint)
    members(c, old, old.indexes, new.indexes, index)
    members(c, old, old.policies, new.policies, policy)
    members(c, old, old.triggers, new.triggers, trigger)


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


def _column_order(c: Collector, old: Table, new: Table) -> None:
    """The shared columns in another relative order: a change of its own kind (added and
    dropped columns are reported as such and left out here)."""
    common = {col.name for col in old.columns} & {col.name for col in new.columns}
    old_order = [col.name for col in old.columns if col.name in common]
    new_order = [col.name for col in new.columns if col.name in common]
    if old_order != new_order:
        message = (
            f"column order of {old.display} changed: {', '.join(new_order)} "
            f"(was {', '.join(old_order)})"
        )
        c.add(COLUMN_ORDER, old.label, message, old.key)


def column(o: On, old: Column, new: Column) -> None:
    o.attrs(old, new, _COLUMN)
    if old.nullable != new.nullable:
        was = "nullable" if old.nullable else "NOT NULL"
        now = "nullable" if new.nullable else "NOT NULL"
        o.changed(f"changed from {was} to {now}")
    o.common(old, new)


def constraint(o: On, old: Constraint, new: Constraint) -> None:
    # NOT VALID shows in the definition too; report it once, as validity.
    old_def = old.definition.removesuffix(" NOT VALID")
    new_def = new.definition.removesuffix(" NOT VALID")
    o.differs(old_def, new_def, f"definition changed from {old_def} to {new_def}")
    o.flag(old.validated, new.validated, ("became validated", "became NOT VALID"))
    o.common(old, new)


def index(o: On, old: Index, new: Index) -> None:
    _definition(o, old.definition, new.definition)
    o.flag(old.valid, new.valid, ("became valid", "became invalid"))
    o.common(old, new)


def policy(o: On, old: Policy, new: Policy) -> None:
    o.attrs(old, new, _POLICY)
    o.flag(old.permissive, new.permissive, ("became permissive", "became restrictive"))


def trigger(o: On, old: Trigger, new: Trigger) -> None:
    _definition(o, old.definition, new.definition)
    o.differs(_mode(old), _mode(new), f"changed from {_mode(old)} to {_mode(new)}")
    o.common(old, new)


def _definition(o: On, old: str, new: str) -> None:
    o.differs(old, new, f"definition changed from {old} to {new}")


def _mode(t: Trigger) -> str:
    # A hand-built Trigger may say enabled=False and leave enabled_mode at its default.
    mode = t.enabled_mode if t.enabled else "D"
    return _TRIGGER_MODES.get(mode, mode)
