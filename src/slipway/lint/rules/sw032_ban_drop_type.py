from __future__ import annotations

from slipway.lint.rule import register
from slipway.lint.rules._drops import DropObjectRule


@register
class BanDropType(DropObjectRule):
    """Dropping a type breaks the code that still uses it, and with CASCADE drops its columns.

    Without CASCADE PostgreSQL refuses while a column, function or other type uses it; with
    CASCADE it drops those columns, with their data. A type the same migration created earlier
    is not reported.

    **Anti-pattern**

    ```sql
    DROP TYPE lead_status CASCADE;
    ```

    **Best practice**

    ```sql
    -- move the columns off the type in earlier releases, then:
    DROP TYPE IF EXISTS lead_status;
    ```
    """

    code = "SW032"
    name = "ban-drop-type"
    remove_types = ("OBJECT_TYPE",)
    breaks = "breaks the code that still uses it"
    cascade_note = "; CASCADE also drops every column of this type, with its data"
    help = "Drop it once no column, function or client uses it, without CASCADE."
