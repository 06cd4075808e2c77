"""Match a feed's header line against a mapping: which file columns fill which target columns.

Pure: takes the mapping and the header cells, returns a HeaderPlan or raises FeedRejected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from slipway.feeds.errors import FeedRejected
from slipway.feeds.mapping import ColumnSpec, FeedMapping, normalize

_LOOKS_LIKE_DATA = re.compile(r"^(?:[A-HJ-NPR-Z0-9]{17}|\d+(?:\.\d+)?|https?://.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class Bound:
    """A target column present in the file: the file positions to read, first non-empty wins."""

    spec: ColumnSpec
    sources: tuple[int, ...]
    header: str  # the file's own name for the column, for error messages


@dataclass(frozen=True)
class HeaderPlan:
    cells: tuple[str, ...]  # the header as read (trimmed)
    bound: tuple[Bound, ...]  # in mapping order; identity columns included
    identity: tuple[Bound, ...]  # the identity columns present, in priority order
    unknown: tuple[tuple[int, str], ...]  # (position, header) of columns no alias claims
    keys: tuple[int, ...] = ()  # each identity column's place in the mapping's identity (0-based)
    packed: int | None = None  # the position holding the unknown columns as JSON (wide.py)

    @property
    def width(self) -> int:
        return len(self.cells)

    @property
    def columns(self) -> list[str]:
        return [b.spec.name for b in self.bound]


def plan_header(mapping: FeedMapping, header: list[str], source: str) -> HeaderPlan:
    """Bind header cells to target columns; reject a file without a usable header."""
    cells = [h.strip().lstrip("\ufeff") for h in header]
    by_alias: dict[str, str] = {}
    for spec in mapping.columns:
        for alias in (*spec.aliases, spec.name):
            by_alias.setdefault(normalize(alias), spec.name)
    positions: dict[str, list[int]] = {}
    unknown: list[tuple[int, str]] = []
    for pos, cell in enumerate(cells):
        target = by_alias.get(normalize(cell))
        if target:
            positions.setdefault(target, []).append(pos)
        elif cell:
            unknown.append((pos, cell))
    _check_header(mapping, cells, positions, source)
    bound = []
    for spec in mapping.columns:
        own = positions.get(spec.name, [])
        extra = positions.get(spec.fallback, []) if spec.fallback else []
        if own or extra:
            first = (own or extra)[0]
            bound.append(Bound(spec, tuple(own + extra), cells[first]))
    by_name = {b.spec.name: b for b in bound}
    identity = tuple(by_name[k] for k in mapping.identity if k in by_name)
    keys = tuple(n for n, k in enumerate(mapping.identity) if k in by_name)
    return HeaderPlan(tuple(cells), tuple(bound), identity, tuple(unknown), keys)


def _check_header(
    mapping: FeedMapping, cells: list[str], positions: dict[str, list[int]], source: str
) -> None:
    if not any(positions.get(k) for k in mapping.identity):
        names = " or ".join(mapping.column(k).aliases[0] for k in mapping.identity)
        if not positions or sum(bool(_LOOKS_LIKE_DATA.match(c)) for c in cells) >= 2:
            raise FeedRejected(
                f"{source}: the first line is not a header (it reads {_preview(cells)})",
                hint=f"the feed must start with a header line naming its columns, e.g. {names}",
            )
        raise FeedRejected(
            f"{source}: the header has no identity column ({names}); nothing was imported",
            hint=f"header read: {_preview(cells)}",
        )
    missing = [
        c.aliases[0]
        for c in mapping.columns
        if c.required and not positions.get(c.name) and not positions.get(c.fallback or "")
    ]
    if missing:
        raise FeedRejected(
            f"{source}: the header lacks required column(s) {', '.join(missing)}; nothing was imported"
        )


def _preview(cells: list[str]) -> str:
    text = " | ".join(cells[:6])
    return repr(text[:80] + ("..." if len(text) > 80 or len(cells) > 6 else ""))
