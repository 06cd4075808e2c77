from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.lint.rules._helpers import COLUMN_KINDS, column_sites
from slipway.sql import nodes as n


@register
class PreferTextField(Rule):
    """varchar(n) makes every later length change an ALTER TABLE; prefer text with a CHECK.

    A CHECK constraint on length can be replaced (NOT VALID + VALIDATE) without blocking,
    while shrinking a varchar limit rewrites the table.

    **Anti-pattern**

    ```sql
    CREATE TABLE customers (id bigint PRIMARY KEY, email varchar(255));
    ```

    **Best practice**

    ```sql
    CREATE TABLE customers (id bigint PRIMARY KEY, email text CHECK (length(email) <= 320));
    ```
    """

    code = "SW020"
    name = "prefer-text-field"
    severity = "warning"
    kinds = COLUMN_KINDS
    help = "Use text with a CHECK (length(col) <= n) constraint."

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        for site in column_sites(ctx):
            if site.type == "varchar" and n.typmods(site.type_node):
                yield Hit(
                    f"column {site.table}.{site.name} uses varchar with a length limit",
                    offset=site.location,
                )
