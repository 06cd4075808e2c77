from __future__ import annotations

from slipway.lint.rule import register
from slipway.lint.rules._drops import DropObjectRule


@register
class BanDropSequence(DropObjectRule):
    """Dropping a sequence breaks the defaults and code that still call nextval on it.

    With CASCADE the column defaults that use it are removed too, and inserts that relied on
    them start failing. A sequence the same migration created earlier is not reported.

    **Anti-pattern**

    ```sql
    DROP SEQUENCE invoice_number_seq CASCADE;
    ```

    **Best practice**

    ```sql
    -- give the columns another default first, then in a later release:
    DROP SEQUENCE IF EXISTS invoice_number_seq;
    ```
    """

    code = "SW034"
    name = "ban-drop-sequence"
    remove_types = ("OBJECT_SEQUENCE",)
    breaks = "breaks the defaults and code that still call nextval on it"
    cascade_note = "; CASCADE also removes the column defaults that use it"
    help = "Drop it once no default or client uses it, without CASCADE."
