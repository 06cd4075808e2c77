from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.lint.rules._helpers import COLUMN_KINDS, column_sites
from slipway.sql import nodes as n


@register
class PreferBigintOverSmallint(Rule):
    """A smallint key column runs out of values after 32,767 rows; use bigint.

    Widening it later rewrites the table and every table that references it. Only key-like
    columns are reported (primary keys, identity and smallserial columns), as in
    prefer-bigint-over-int; `priority smallint` is fine.

    **Anti-pattern**

    ```sql
    CREATE TABLE lead_sources (id smallserial PRIMARY KEY, name text NOT NULL);
    ```

    **Best practice**

    ```sql
    CREATE TABLE lead_sources (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name text NOT NULL
    );
    ```
    """

    code = "SW043"
    name = "prefer-bigint-over-smallint"
    severity = "warning"
    kinds = COLUMN_KINDS
    help = "Use bigint (or bigint GENERATED ALWAYS AS IDENTITY) for keys."

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        for site in column_sites(ctx):
            if site.type not in n.SMALL_INT_TYPES or n.is_array(site.type_node):
                continue
            if site.primary or site.has("CONSTR_IDENTITY") or site.type in n.SERIAL_TYPES:
                yield Hit(
                    f"key column {site.table}.{site.name} is a 16-bit {site.type}",
                    offset=site.location,
                )
