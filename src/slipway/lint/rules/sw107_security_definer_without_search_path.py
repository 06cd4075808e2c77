from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, SetContext, register


@register
class SecurityDefinerWithoutSearchPath(Rule):
    """A SECURITY DEFINER function does not pin its search_path.

    It runs with its owner's rights; any caller who can create objects in a schema on the
    search_path can shadow a table or function it uses and run code as the owner. The
    function is judged as the migrations leave it: `ALTER FUNCTION ... SET search_path` in a
    later migration fixes it.

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
    help = "Add SET search_path = pg_catalog, <schemas> to the function definition."

    def check_set(self, ctx: SetContext) -> Iterator[Hit]:
        # The replayed function, not its CREATE statement: a later ALTER FUNCTION ... SET
        # search_path fixes it, a later CREATE OR REPLACE without one undoes the fix.
        for function in ctx.state.functions.values():
            if function.security_definer and not function.search_path_set:
                message = f"SECURITY DEFINER function {function.key} has no SET search_path"
                yield Hit(message, at=function.origin)
