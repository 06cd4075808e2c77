from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.sql import nodes as n


@register
class SecurityDefinerWithoutSearchPath(Rule):
    """A SECURITY DEFINER function does not pin its search_path.

    It runs with its owner's rights; any caller who can create objects in a schema on the
    search_path can shadow a table or function it uses and run code as the owner.

    **Anti-pattern**

    ```sql
    CREATE FUNCTION app_dealership() RETURNS bigint LANGUAGE sql SECURITY DEFINER
        AS $$ SELECT dealership_id FROM users WHERE id = current_user_id() $$;
    ```

    **Best practice**

    ```sql
    CREATE FUNCTION app_dealership() RETURNS bigint LANGUAGE sql SECURITY DEFINER
        SET search_path = pg_catalog, public
        AS $$ SELECT dealership_id FROM public.users WHERE id = current_user_id() $$;
    ```
    """

    code = "SW107"
    name = "security-definer-without-search-path"
    severity = "error"
    kinds = ("CreateFunctionStmt",)
    help = "Add SET search_path = pg_catalog, <schemas> to the function definition."

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        node = ctx.stmt.node
        options = node.get("options", [])
        definer = n.truthy(n.def_elems(options).get("security"))
        if not definer:
            return
        pinned = any(
            str(o["DefElem"].get("arg", {}).get("VariableSetStmt", {}).get("name", ""))
            == "search_path"
            for o in options
            if o.get("DefElem", {}).get("defname") == "set"
        )
        if not pinned:
            name = n.qualified(n.strings(node.get("funcname")))
            yield Hit(f"SECURITY DEFINER function {name} has no SET search_path")
