from __future__ import annotations

from slipway.lint.rule import Rule, register


@register
class PsqlMetaCommand(Rule):
    """A line is a psql meta-command (`\\set`, `\\connect`, `\\i`, ...), not SQL.

    psql runs it itself; PostgreSQL, and so slipway's engine and any migration tool that sends
    the file to the server, sees a syntax error. The linter skips the line (the statements
    around it are still linted, at their own lines) and says so, since what the command does
    (another database, an included file, a variable) is not part of what was checked.

    **Anti-pattern**

    ```sql
    \\set ON_ERROR_STOP on
    CREATE TABLE leads (id bigint PRIMARY KEY);
    ```

    **Best practice**

    ```sql
    CREATE TABLE leads (id bigint PRIMARY KEY);
    ```
    """

    code = "SW901"
    name = "psql-meta-command"
    severity = "info"
    help = "Keep psql commands out of migrations: slipway runs the file as SQL, without psql."
