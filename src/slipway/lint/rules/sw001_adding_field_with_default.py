from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.lint.rules._helpers import table_cmds
from slipway.sql import nodes as n

# Functions known not to be volatile: a default using only these is stored once (PG 11+).
NON_VOLATILE = {
    "now",
    "current_timestamp",
    "transaction_timestamp",
    "statement_timestamp",
    "current_date",
    "current_setting",
    "lower",
    "upper",
    "coalesce",
    "jsonb_build_object",
    "json_build_object",
    "jsonb_build_array",
    "array",
    "to_jsonb",
    "make_interval",
    "interval",
    "length",
    "concat",
}


def volatile_call(expr: object) -> str | None:
    """Name of a function in `expr` that may be volatile (None when it has none)."""
    for kind, node in n.walk(expr):
        if kind == "FuncCall" and n.func_name(node) not in NON_VOLATILE:
            return n.func_name(node)
    return None


@register
class AddingFieldWithDefault(Rule):
    """Adding a column with a volatile default (or a stored generated column) rewrites the table.

    Since PostgreSQL 11 a constant or stable default is stored in the catalog and the ADD
    COLUMN is instant. A volatile default (random(), gen_random_uuid(), clock_timestamp(),
    a serial's nextval) or `GENERATED ALWAYS AS (...) STORED` must be computed for every
    existing row: the whole table is rewritten under an ACCESS EXCLUSIVE lock.

    **Anti-pattern**

    ```sql
    ALTER TABLE leads ADD COLUMN public_id uuid DEFAULT gen_random_uuid();
    ```

    **Best practice**

    ```sql
    ALTER TABLE leads ADD COLUMN public_id uuid;
    ALTER TABLE leads ALTER COLUMN public_id SET DEFAULT gen_random_uuid();
    -- then backfill existing rows in batches
    UPDATE leads SET public_id = gen_random_uuid()
        WHERE id BETWEEN 1 AND 10000 AND public_id IS NULL;
    ```
    """

    code = "SW001"
    name = "adding-field-with-default"
    severity = "warning"
    kinds = ("AlterTableStmt",)
    help = (
        "Add the column without the default, set the default in a second statement, and "
        "backfill existing rows in batches."
    )

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        for table, cmd in table_cmds(ctx, "AT_AddColumn"):
            if not ctx.existed_before(table):
                continue
            col = (cmd.get("def") or {}).get("ColumnDef", {})
            what = self._rewrite_reason(col)
            if what:
                yield Hit(
                    f"adding {table}.{col.get('colname')} with {what} rewrites the whole "
                    "table under an ACCESS EXCLUSIVE lock"
                )

    @staticmethod
    def _rewrite_reason(col: n.Node) -> str | None:
        if n.type_name(col.get("typeName")) in n.SERIAL_TYPES:
            return "a serial type (nextval default)"
        for con in n.constraints_of(col):
            if con.get("contype") == "CONSTR_GENERATED":
                return "a stored generated expression"
            if con.get("contype") == "CONSTR_DEFAULT":
                func = volatile_call(con.get("raw_expr"))
                if func:
                    return f"a default calling {func}(), which may be volatile"
        return None
