from __future__ import annotations

from slipway.lint.rule import register
from slipway.lint.rules._drops import DropObjectRule


@register
class BanDropSchema(DropObjectRule):
    """Dropping a schema breaks the code that uses it, and with CASCADE drops all it holds.

    DROP SCHEMA ... CASCADE drops every table, view and function in the schema, with their
    data, in one statement. A schema the same migration created earlier is not reported.

    **Anti-pattern**

    ```sql
    DROP SCHEMA reporting CASCADE;
    ```

    **Best practice**

    ```sql
    -- drop (or move) its objects one by one in earlier migrations, then:
    DROP SCHEMA IF EXISTS reporting;
    ```
    """

    code = "SW033"
    name = "ban-drop-schema"
    remove_types = ("OBJECT_SCHEMA",)
    breaks = "breaks the code that still uses it"
    cascade_note = "; CASCADE also drops every table in it, with its data"
    help = "Empty the schema on purpose first and drop it without CASCADE."
