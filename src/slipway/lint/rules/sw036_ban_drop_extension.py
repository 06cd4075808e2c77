from __future__ import annotations

from slipway.lint.rule import register
from slipway.lint.rules._drops import DropObjectRule


@register
class BanDropExtension(DropObjectRule):
    """Dropping an extension removes its functions, types and operators with it.

    Code that calls them (say `gen_random_uuid()` defaults from pgcrypto on PostgreSQL 12, or
    trigram indexes from pg_trgm) breaks; with CASCADE the columns, indexes and defaults that
    use them are dropped too. An extension the same migration created earlier is not reported.

    **Anti-pattern**

    ```sql
    DROP EXTENSION pg_trgm CASCADE;
    ```

    **Best practice**

    ```sql
    DROP INDEX CONCURRENTLY IF EXISTS leads_name_trgm_idx;  -- what uses it, on purpose
    DROP EXTENSION IF EXISTS pg_trgm;
    ```
    """

    code = "SW036"
    name = "ban-drop-extension"
    remove_types = ("OBJECT_EXTENSION",)
    breaks = "also drops its functions, types and operators, breaking the code that uses them"
    cascade_note = "; CASCADE also drops the columns, indexes and defaults that use them"
    help = "Remove what uses the extension on purpose first, then drop it without CASCADE."
