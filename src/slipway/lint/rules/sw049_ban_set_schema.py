from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.lint.rules._objects import FAMILIES, created_earlier, object_name
from slipway.sql import nodes as n

_RELATIONS = {"OBJECT_TABLE", "OBJECT_VIEW", "OBJECT_MATVIEW", "OBJECT_FOREIGN_TABLE"}


@register
class BanSetSchema(Rule):
    """Moving an object to another schema breaks the code that finds it in the old one.

    Code that names the object qualified (`public.leads`), or unqualified with a search_path
    that does not include the new schema, stops finding it. Objects the same migration created
    are not reported.

    **Anti-pattern**

    ```sql
    ALTER TABLE leads SET SCHEMA sales;
    ```

    **Best practice**

    ```sql
    -- add the new schema to the application's search_path first, then move the table;
    -- or keep a view under the old name until no code uses it:
    ALTER TABLE leads SET SCHEMA sales;
    CREATE VIEW public.leads WITH (security_invoker = true) AS SELECT * FROM sales.leads;
    ```
    """

    code = "SW049"
    name = "ban-set-schema"
    severity = "warning"
    kinds = ("AlterObjectSchemaStmt",)
    help = "Make every client find the object in its new schema (search_path) before moving it."

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        node = ctx.stmt.node
        kind = str(node.get("objectType", ""))
        if kind in _RELATIONS:
            key = n.relation(node.get("relation"))
            if not ctx.existed_before(key):
                return
        else:
            key = object_name(node.get("object") or {}) or n.relation(node.get("relation"))
            family = FAMILIES.get(kind)
            if family and created_earlier(ctx, family, key):
                return
        noun = (
            kind.removeprefix("OBJECT_")
            .lower()
            .replace("_", " ")
            .replace("matview", "materialized view")
        )
        yield Hit(
            f"moving {noun} {key} to schema {node.get('newschema')} breaks code that finds it "
            "in its old schema"
        )
