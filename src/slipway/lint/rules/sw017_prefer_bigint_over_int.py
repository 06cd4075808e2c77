from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.lint.rules._helpers import COLUMN_KINDS, column_sites
from slipway.sql import nodes as n


@register
class PreferBigintOverInt(Rule):
    """An integer key column runs out of values; use bigint.

    A 32-bit key overflows at 2,147,483,647 and widening it later rewrites the table and every
    referencing one. Only key-like columns are reported (primary keys, identity and serial
    columns); `quantity integer` is fine. smallint keys are prefer-bigint-over-smallint.

    **Anti-pattern**

    ```sql
    CREATE TABLE messages (id serial PRIMARY KEY, body text);
    ```

    **Best practice**

    ```sql
    CREATE TABLE messages (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text);
    ```
    """

    code = "SW017"
    name = "prefer-bigint-over-int"
    severity = "warning"
    kinds = COLUMN_KINDS
    help = "Use bigint (or bigint GENERATED ALWAYS AS IDENTITY) for keys."

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        for site in column_sites(ctx):
            if site.type not in n.INT_TYPES or site.type in n.SMALL_INT_TYPES:
                continue
            keyish = site.primary or site.has("CONSTR_IDENTITY") or site.type in n.SERIAL_TYPES
            if keyish and not n.is_array(site.type_node):
                yield Hit(
                    f"key column {site.table}.{site.name} is a 32-bit {site.type}",
                    offset=site.location,
                )
