from __future__ import annotations

from slipway.lint.rule import register
from slipway.lint.rules._drops import DropObjectRule


@register
class BanDropView(DropObjectRule):
    """Dropping a view or materialized view breaks the queries that still read it.

    A view the same migration created earlier, or creates again under the same name after the
    DROP (the way to change its columns), is not reported unless the DROP has CASCADE, which
    also drops the views built on it, or the migration runs outside a transaction.

    **Anti-pattern**

    ```sql
    DROP VIEW open_leads;
    ```

    **Best practice**

    ```sql
    -- replace it in one migration (clients never see it missing):
    DROP VIEW open_leads;
    CREATE VIEW open_leads WITH (security_invoker = true) AS
        SELECT id, status FROM leads WHERE status = 'open';
    ```
    """

    code = "SW031"
    name = "ban-drop-view"
    remove_types = ("OBJECT_VIEW", "OBJECT_MATVIEW")
    replaceable = True
    breaks = "breaks the queries that still read it"
    cascade_note = "; CASCADE also drops the views built on it"
    help = "Drop it in a release after the one that stopped reading it, or re-create it here."
