from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.lint.rules._helpers import COLUMN_KINDS, column_sites


@register
class PreferTimestamptz(Rule):
    """`timestamp` without time zone loses the offset; use `timestamptz`.

    `timestamptz` stores an absolute instant and converts on display; `timestamp` stores wall
    clock time and silently misorders events written from different time zones.

    **Anti-pattern**

    ```sql
    CREATE TABLE leads (id bigint PRIMARY KEY, created_at timestamp DEFAULT now());
    ```

    **Best practice**

    ```sql
    CREATE TABLE leads (id bigint PRIMARY KEY, created_at timestamptz DEFAULT now());
    ```
    """

    code = "SW021"
    name = "prefer-timestamptz"
    severity = "warning"
    kinds = COLUMN_KINDS
    help = "Use timestamptz (timestamp with time zone)."

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        for site in column_sites(ctx):
            if site.type == "timestamp":
                yield Hit(
                    f"column {site.table}.{site.name} uses timestamp without time zone",
                    offset=site.location,
                )
