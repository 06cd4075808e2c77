"""Feeds with more columns than a staging table can hold (PostgreSQL allows 1600).

The staging table normally has one raw column per file column, and SQL builds the unknown
columns' JSON object. A wider file instead stages only the columns the mapping binds, plus
one field holding the unknown columns' object, made here in Python and already printed the
way jsonb prints it (so an unchanged object still compares as text, see sql.rendered).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from slipway.feeds.errors import FeedRejected
from slipway.feeds.header import Bound, HeaderPlan
from slipway.feeds.limits import Refused
from slipway.feeds.reader import Rows, is_blank
from slipway.feeds.rows import width_reason

MAX_STAGED = 1600 - 2  # PostgreSQL's columns per table, less _key and _ok


def fits(plan: HeaderPlan) -> bool:
    return plan.width <= MAX_STAGED


def pack(
    plan: HeaderPlan, rows: Rows, extra_column: str | None, source: str
) -> tuple[HeaderPlan, Rows]:
    """The plan and rows with the unknown columns folded into one JSON field (dropped when the
    mapping keeps no extra column). Rows go one by one: the bulk path needs the raw lines."""
    kept = sorted({p for b in plan.bound for p in b.sources})
    if len(kept) + 1 > MAX_STAGED:
        raise FeedRejected(f"{source}: {len(kept)} header columns match the mapping, more than "
                           f"a staging table can hold ({MAX_STAGED}); nothing was imported")  # fmt: skip
    at = {p: i for i, p in enumerate(kept)}

    def moved(b: Bound) -> Bound:
        return Bound(b.spec, tuple(at[p] for p in b.sources), b.header)

    cells = [plan.cells[p] for p in kept] + (["<extra>"] if extra_column else [])
    packed = HeaderPlan(
        tuple(cells), tuple(map(moved, plan.bound)), tuple(map(moved, plan.identity)), (),
        plan.keys, len(kept) if extra_column else None,
    )  # fmt: skip
    unknown = plan.unknown if extra_column else ()
    return packed, Rows(rows.header, _packed(rows.numbered, plan.width, kept, unknown))


def _packed(numbered: Iterator[tuple[int, list[str]]], width: int, kept: list[int],
            unknown: tuple[tuple[int, str], ...]) -> Iterator[tuple[int, list[str]]]:  # fmt: skip
    for line, row in numbered:
        if len(row) == width:
            fields = [row[p] for p in kept]
            if unknown:
                fields.append(jsonb_text({h: v for p, h in unknown if (v := row[p].strip())}))
            yield line, fields
        elif isinstance(row, Refused) or is_blank(row):
            yield line, row  # a blank line or an already refused record stays what it is
        else:
            yield line, Refused(width_reason(len(row), width), f"{len(row)} fields")


def jsonb_text(members: dict[str, str]) -> str:
    """The object as jsonb prints it: keys shortest first (in bytes) then bytewise,
    `, ` between members and `: ` after keys."""
    keys = sorted(members, key=lambda k: (len(k.encode()), k.encode()))
    return json.dumps({k: members[k] for k in keys}, ensure_ascii=False, separators=(", ", ": "))
