from __future__ import annotations

from slipway.lint.rule import register
from slipway.lint.rules._drops import DropObjectRule


@register
class BanDropFunction(DropObjectRule):
    """Dropping a function or procedure breaks the code, triggers and defaults that call it.

    Running application versions keep calling it until they are replaced. A function the same
    migration created earlier, or creates again under the same name after the DROP (the way to
    change its return type), is not reported unless the DROP has CASCADE, which also drops the
    triggers, defaults and views that use it, or the migration runs outside a transaction.

    **Anti-pattern**

    ```sql
    DROP FUNCTION lead_score(bigint);
    ```

    **Best practice**

    ```sql
    -- release 1: stop calling lead_score; release 2, once nothing calls it:
    DROP FUNCTION IF EXISTS lead_score(bigint);
    ```
    """

    code = "SW030"
    name = "ban-drop-function"
    remove_types = ("OBJECT_FUNCTION", "OBJECT_PROCEDURE", "OBJECT_ROUTINE")
    replaceable = True
    breaks = "breaks the code, triggers and defaults that still call it"
    help = "Drop it in a release after the one that stopped calling it."
