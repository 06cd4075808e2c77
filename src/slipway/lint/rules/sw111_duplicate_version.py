from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, SetContext, register


@register
class DuplicateVersion(Rule):
    """Two migrations share a version number.

    Their order is undefined, and a database that applied one will never apply the other.

    **Anti-pattern**

    ```sql
    -- 0002_agent_squad.sql
    -- 0002_sms_delivery.sql
    ```

    **Best practice**

    ```sql
    -- 0002_agent_squad.sql
    -- 0003_sms_delivery.sql
    ```
    """

    code = "SW111"
    name = "duplicate-version"
    severity = "error"
    help = "Renumber one of them to the next free version."

    def check_set(self, ctx: SetContext) -> Iterator[Hit]:
        seen: dict[str, int] = {}
        for position, migration in enumerate(ctx.migrations):
            if not migration.version:
                continue  # a lone script (stdin, a file of no migration) has no version
            first = seen.setdefault(migration.version, position)
            if first != position:
                yield Hit(
                    f"version {migration.version} is used by both "
                    f"{ctx.migrations[first].label} ({ctx.ups[first].path}) and "
                    f"{migration.label}",
                    at=ctx.ups[position].origin(position),
                )
