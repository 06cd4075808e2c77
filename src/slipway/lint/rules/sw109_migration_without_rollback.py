from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, MigrationContext, Rule, register


@register
class MigrationWithoutRollback(Rule):
    """The migration has no down script, so it cannot be rolled back.

    `slipway down` refuses such a migration, and `slipway verify` cannot prove it round
    trips. Write the down script next to the up one (`0007_opt_out.down.sql`).

    **Anti-pattern**

    ```sql
    -- 0007_opt_out.sql, and no 0007_opt_out.down.sql
    ALTER TABLE customers ADD COLUMN opted_out_at timestamptz;
    ```

    **Best practice**

    ```sql
    -- 0007_opt_out.down.sql
    ALTER TABLE customers DROP COLUMN IF EXISTS opted_out_at;
    ```
    """

    code = "SW109"
    name = "migration-without-rollback"
    severity = "warning"
    help = "Add a down script that undoes the migration."

    def check_migration(self, ctx: MigrationContext) -> Iterator[Hit]:
        if ctx.migration.down is None:
            yield Hit(
                f"migration {ctx.migration.label} has no rollback (down) script",
                help=f"Add {ctx.migration.rollback_place} that undoes the migration.",
            )
