from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.sql import nodes as n


@register
class PolicyCurrentSettingUnsafe(Rule):
    """A policy reads current_setting() without missing_ok, or without NULLIF around it.

    `current_setting('app.dealership_id')` raises an error in any session that has not set
    it (a migration, a cron job, psql). With missing_ok=true it returns NULL, or an empty
    string after a `RESET`/transaction-local set, and `''::bigint` raises again: wrap it in
    `NULLIF(..., '')` so an unset tenant matches no rows instead of failing.

    **Anti-pattern**

    ```sql
    CREATE POLICY leads_tenant ON leads
        USING (dealership_id = current_setting('app.dealership_id')::bigint);
    ```

    **Best practice**

    ```sql
    CREATE POLICY leads_tenant ON leads
        USING (dealership_id = NULLIF(current_setting('app.dealership_id', true), '')::bigint);
    ```
    """

    code = "SW103"
    name = "policy-current-setting-unsafe"
    severity = "warning"
    kinds = ("CreatePolicyStmt", "AlterPolicyStmt")
    help = "Use NULLIF(current_setting('app.setting', true), '')."

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        node = ctx.stmt.node
        policy = node.get("policy_name")
        for expr in (node.get("qual"), node.get("with_check")):
            if not expr:
                continue
            wrapped = {
                id(call)
                for kind, inner in n.walk(expr)
                if _is_nullif(kind, inner)
                for k, call in n.walk(inner)
                if k == "FuncCall"
            }
            for kind, call in n.walk(expr):
                if kind != "FuncCall" or n.func_name(call) != "current_setting":
                    continue
                if not _missing_ok(call):
                    yield Hit(
                        f"policy {policy} calls current_setting() without missing_ok = "
                        "true: it errors in sessions that never set it"
                    )
                elif id(call) not in wrapped:
                    yield Hit(
                        f"policy {policy} uses current_setting() without NULLIF(..., ''): "
                        "an empty setting makes the cast fail"
                    )


def _is_nullif(kind: str, node: n.Node) -> bool:
    return kind == "A_Expr" and node.get("kind") == "AEXPR_NULLIF"


def _missing_ok(call: n.Node) -> bool:
    args = call.get("args", [])
    if len(args) < 2:
        return False
    const = args[1].get("A_Const", {})
    if "boolval" in const:
        return bool(const["boolval"].get("boolval"))
    return str(const.get("sval", {}).get("sval", "")).lower() in ("true", "on", "t", "1")
