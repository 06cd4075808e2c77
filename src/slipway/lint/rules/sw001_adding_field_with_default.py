from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.lint.rules._helpers import table_cmds
from slipway.lint.state import ReplayState
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


# Built-in functions that are VOLATILE (pg_proc.provolatile = 'v').
VOLATILE = {"random", "gen_random_uuid", "uuid_generate_v4", "clock_timestamp", "nextval"}


def volatile_call(expr: object, state: ReplayState | None = None) -> tuple[str, str] | None:
    """A function call in `expr` that is or may be volatile: (name, why), None when none is.

    A function the migrations created is judged by the volatility they gave it."""
    for kind, node in n.walk(expr):
        if kind != "FuncCall":
            continue
        name = n.func_name(node)
        made = state.functions.get(n.qualified(n.strings(node.get("funcname")))) if state else None
        if made is not None:
            if made.volatility != "volatile":
                continue
            inline = " (unless PostgreSQL inlines its SQL body)" if made.language == "sql" else ""
            return name, f"which is VOLATILE{inline}"
        if name in VOLATILE:
            return name, "which is VOLATILE"
        if name not in NON_VOLATILE:
            return name, "which may be volatile"
    return None


@register
class AddingFieldWithDefault(Rule):
    """Adding a column with a volatile default, identity or stored expression rewrites the table.

    Since PostgreSQL 11 a constant or stable default is stored in the catalog and the ADD
    COLUMN is instant. A volatile default (random(), gen_random_uuid(), clock_timestamp(),
    a serial's nextval, a function the migrations declared VOLATILE or left at that default),
    `GENERATED ... AS IDENTITY` or `GENERATED ALWAYS AS (...) STORED` must be computed for
    every existing row: the whole table is rewritten under an ACCESS EXCLUSIVE lock. A
    function the migrations created STABLE or IMMUTABLE is not reported.

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
    cost = "rewrite"
    kinds = ("AlterTableStmt:AT_AddColumn",)
    help = (
        "Add the column without the default, set the default in a second statement, and "
        "backfill existing rows in batches."
    )

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        for table, cmd in table_cmds(ctx, "AT_AddColumn"):
            if not ctx.existed_before(table):
                continue
            col = (cmd.get("def") or {}).get("ColumnDef", {})
            what = self._rewrite_reason(col, ctx.state)
            if what:
                yield Hit(
                    f"adding {table}.{col.get('colname')} with {what} rewrites the whole "
                    "table under an ACCESS EXCLUSIVE lock",
                    table=table,
                )

    @staticmethod
    def _rewrite_reason(col: n.Node, state: ReplayState) -> str | None:
        if n.type_name(col.get("typeName")) in n.SERIAL_TYPES:
            return "a serial type (nextval default)"
        for con in n.constraints_of(col):
            if con.get("contype") == "CONSTR_GENERATED":
                return "a stored generated expression"
            if con.get("contype") == "CONSTR_IDENTITY":
                return "an identity (a sequence value for every existing row)"
            if con.get("contype") == "CONSTR_DEFAULT":
                call = volatile_call(con.get("raw_expr"), state)
                if call:
                    return f"a default calling {call[0]}(), {call[1]},"
        return None
