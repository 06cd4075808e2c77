from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.lint.rules._helpers import COLUMN_KINDS, column_sites
from slipway.sql import nodes as n


@register
class PreferIdentity(Rule):
    """serial/bigserial columns have sequence ownership and permission pitfalls; use identity.

    Identity columns (SQL standard) own their sequence properly, copy with the table, and
    `GENERATED ALWAYS` stops accidental manual ids.

    **Anti-pattern**

    ```sql
    CREATE TABLE leads (id bigserial PRIMARY KEY);
    ```

    **Best practice**

    ```sql
    CREATE TABLE leads (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);
    ```
    """

    code = "SW018"
    name = "prefer-identity"
    severity = "warning"
    kinds = COLUMN_KINDS
    help = "Use bigint GENERATED ALWAYS AS IDENTITY."

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        for site in column_sites(ctx):
            if site.type in n.SERIAL_TYPES:
                yield Hit(f"column {site.table}.{site.name} uses {site.type}", offset=site.location)
