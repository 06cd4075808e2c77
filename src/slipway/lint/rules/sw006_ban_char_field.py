from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.lint.rules._helpers import COLUMN_KINDS, column_sites


@register
class BanCharField(Rule):
    """`char(n)` pads values with spaces and is never faster than `text`.

    `character(n)` stores and compares blank-padded strings, which surprises applications
    (`'ab'` is stored as `'ab   '`). Use `text` (with a CHECK on length if needed).

    **Anti-pattern**

    ```sql
    CREATE TABLE dealerships (id bigint PRIMARY KEY, state char(2));
    ```

    **Best practice**

    ```sql
    CREATE TABLE dealerships (id bigint PRIMARY KEY, state text CHECK (length(state) = 2));
    ```
    """

    code = "SW006"
    name = "ban-char-field"
    severity = "warning"
    kinds = COLUMN_KINDS
    help = "Use text (or varchar) with a CHECK constraint on the length."

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        for site in column_sites(ctx):
            if site.type == "bpchar":
                yield Hit(f"column {site.table}.{site.name} uses char(n)", offset=site.location)
