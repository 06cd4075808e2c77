"""The instant a view or default was created, as PostgreSQL froze it, masked for comparing.

`'now'::timestamp` (unlike `now()`) is a literal: PostgreSQL evaluates it when the view, the
default or the constraint is created and stores the result, so a down that recreates a view
exactly as it was stores another instant, and the two definitions differ in that literal only.
During a verify run every object is created on the scratch database after the run started, so
a timestamp literal that lies within the run can only be such an instant; it is replaced by a
placeholder before comparing. A literal written by hand ('2020-01-01') lies outside the run and
is compared as it is.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TypeVar

from slipway.catalog.model import Catalog, Column, Constraint, Index, MatView, Table, View

# '2026-12-02 17:12:40.401195'::timestamp without time zone, or with an offset (timestamptz).
_LITERAL = re.compile(
    r"'(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{1,6})?)(?:[+-]\d\d(?::\d\d){0,2})?'"
    r"::timestamp(?:\(\d\))? with(?:out)? time zone"
)
_HINT = "'::timestamp"
PLACEHOLDER = "'<instant of creation>'::timestamp"
V = TypeVar("V", View, MatView)


class Instants:
    """Masks the timestamp literals that fall between `start` and `end` (server local time)."""

    def __init__(self, start: datetime, end: datetime) -> None:
        self.start, self.end = start - timedelta(seconds=1), end

    def text(self, value: str | None) -> str | None:
        if value is None or _HINT not in value:
            return value
        return _LITERAL.sub(self._one, value)

    def _one(self, match: re.Match[str]) -> str:
        try:
            instant = datetime.fromisoformat(match.group(1))
        except ValueError:
            return match.group(0)
        return PLACEHOLDER if self.start <= instant <= self.end else match.group(0)

    def catalog(self, catalog: Catalog) -> Catalog:
        """`catalog` with every instant of the run masked (the very same objects elsewhere)."""
        return replace(
            catalog,
            tables=tuple(self._table(t) for t in catalog.tables),
            views=tuple(self._view(v) for v in catalog.views),
            matviews=tuple(self._view(v) for v in catalog.matviews),
        )

    def _view(self, view: V) -> V:
        definition = self.text(view.definition) or ""
        return view if definition == view.definition else replace(view, definition=definition)

    def _table(self, table: Table) -> Table:
        columns = tuple(self._column(c) for c in table.columns)
        constraints = tuple(self._constraint(c) for c in table.constraints)
        indexes = tuple(self._index(i) for i in table.indexes)
        if (columns, constraints, indexes) == (table.columns, table.constraints, table.indexes):
            return table
        return replace(table, columns=columns, constraints=constraints, indexes=indexes)

    def _column(self, column: Column) -> Column:
        default = self.text(column.default)
        return column if default == column.default else replace(column, default=default)

    def _constraint(self, constraint: Constraint) -> Constraint:
        definition = self.text(constraint.definition) or ""
        if definition == constraint.definition:
            return constraint
        return replace(constraint, definition=definition)

    def _index(self, index: Index) -> Index:
        definition, predicate = self.text(index.definition) or "", self.text(index.predicate)
        if (definition, predicate) == (index.definition, index.predicate):
            return index
        return replace(index, definition=definition, predicate=predicate)
