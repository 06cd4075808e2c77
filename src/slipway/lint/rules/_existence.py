"""Whether a named object can exist where a statement runs, as far as the replay can tell.

The replay knows what the linted migrations made and dropped, not what came before them, so a
name it has never seen may well exist (an older schema). It is sure of two things only: a name
a DROP or RENAME took away (`ReplayState.gone`), and a name that only a later migration
creates (its CREATE would fail if the object were already there).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from slipway.lint.rules._objects import created

if TYPE_CHECKING:
    from slipway.lint.rule import StatementContext

_LATER = "existence.created_at"  # run_cache key: (family, key) -> migrations whose up makes it
# families of _objects.created filed under the replay's own (a domain is a type)
_FAMILY = {"domain": "type"}


def absent_because(ctx: StatementContext, family: str, key: str) -> str | None:
    """Why the object cannot exist when the statement runs, or None when it may exist.

    The caller has checked that the replayed state does not hold it."""
    if key.rpartition(".")[2].lower() in ctx.state.opaque:
        return None  # a DO block names it: it may have made it
    where = ctx.state.gone.get((family, key))
    if where is not None:
        return f"{where.path}:{where.line} dropped or renamed it"
    for position in _created_at(ctx).get((family, key), ()):
        if position > ctx.position:
            return f"only {ctx.migrations[position].label}, later, creates it"
    return None


def when(ctx: StatementContext) -> str:
    """How the message says where the statement runs."""
    return "when this rollback runs" if ctx.up is not None else "here"


def _created_at(ctx: StatementContext) -> dict[tuple[str, str], list[int]]:
    """Built on first need, once per run: which migrations' ups create each name."""
    found: dict[tuple[str, str], list[int]] | None = ctx.run_cache.get(_LATER)
    if found is None:
        found = ctx.run_cache[_LATER] = {}
        for position, migration in enumerate(ctx.migrations):
            for stmt in migration.up.parsed.statements:
                made = created(stmt.kind, stmt.node)
                # IF NOT EXISTS and OR REPLACE do not prove the object was not there before
                if made is not None and not (
                    stmt.node.get("if_not_exists") or stmt.node.get("replace")
                ):
                    family, key = made
                    found.setdefault((_FAMILY.get(family, family), key), []).append(position)
    return found
