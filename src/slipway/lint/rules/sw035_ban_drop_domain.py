from __future__ import annotations

from slipway.lint.rule import register
from slipway.lint.rules._drops import DropObjectRule


@register
class BanDropDomain(DropObjectRule):
    """Dropping a domain breaks the code that uses it, and with CASCADE drops its columns.

    Without CASCADE PostgreSQL refuses while a column uses the domain; with CASCADE it drops
    those columns, with their data. A domain the same migration created earlier is not
    reported.

    **Anti-pattern**

    ```sql
    DROP DOMAIN email_address CASCADE;
    ```

    **Best practice**

    ```sql
    ALTER TABLE leads ALTER COLUMN email TYPE text;  -- in an earlier migration
    DROP DOMAIN IF EXISTS email_address;
    ```
    """

    code = "SW035"
    name = "ban-drop-domain"
    remove_types = ("OBJECT_DOMAIN",)
    breaks = "breaks the code that still uses it"
    cascade_note = "; CASCADE also drops every column of this domain, with its data"
    help = "Move the columns off the domain first and drop it without CASCADE."
