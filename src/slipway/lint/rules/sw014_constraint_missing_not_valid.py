from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.lint.rules._helpers import added_constraints, table_cmds


@register
class ConstraintMissingNotValid(Rule):
    """A CHECK constraint added to an existing table is validated under an ACCESS EXCLUSIVE lock.

    Add it `NOT VALID` (instant) and `VALIDATE CONSTRAINT` in a later migration. Validating
    in the same migration that added it gains nothing: the ACCESS EXCLUSIVE lock from the ADD
    is still held, so this also fires for that. (Foreign keys: adding-foreign-key-constraint.)

    **Anti-pattern**

    ```sql
    ALTER TABLE leads ADD CONSTRAINT leads_score_positive CHECK (score >= 0);
    ```

    **Best practice**

    ```sql
    ALTER TABLE leads ADD CONSTRAINT leads_score_positive CHECK (score >= 0) NOT VALID;
    -- next migration:
    ALTER TABLE leads VALIDATE CONSTRAINT leads_score_positive;
    ```
    """

    code = "SW014"
    name = "constraint-missing-not-valid"
    severity = "warning"
    cost = "scan"
    kinds = (
        "AlterTableStmt:AT_AddConstraint",
        "AlterTableStmt:AT_AddColumn",
        "AlterTableStmt:AT_ValidateConstraint",
    )
    help = "Add the constraint NOT VALID, then VALIDATE CONSTRAINT in a separate migration."

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        for table, con in added_constraints(ctx):
            is_check = con.get("contype") == "CONSTR_CHECK" and not con.get("skip_validation")
            if is_check and ctx.existed_before(table):
                name = con.get("conname") or "(unnamed)"
                yield Hit(
                    f"CHECK constraint {name} on existing table {table} scans every row while "
                    "blocking reads and writes",
                    table=table,
                )
        for table, cmd in table_cmds(ctx, "AT_ValidateConstraint"):
            known = ctx.state.tables.get(table)
            name = str(cmd.get("name", ""))
            if known and known.not_valid.get(name) == ctx.position and not ctx.non_transactional:
                yield Hit(
                    f"constraint {name} is validated in the same migration that added it "
                    "NOT VALID, while that migration still holds the ACCESS EXCLUSIVE lock",
                    table=table,
                )
