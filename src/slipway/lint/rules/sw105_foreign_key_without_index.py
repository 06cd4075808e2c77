from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, SetContext, register
from slipway.lint.state import ReplayState, Table


@register
class ForeignKeyWithoutIndex(Rule):
    """A foreign key's columns are not the leading columns of any index.

    Every DELETE or key UPDATE on the referenced table then scans the referencing table, and
    joins along the key cannot use an index. Checked after the last migration, for tables the
    linted migrations created (indexes made before them are not known).

    **Anti-pattern**

    ```sql
    CREATE TABLE leads (
        id bigint PRIMARY KEY,
        customer_id bigint REFERENCES customers (id)
    );
    ```

    **Best practice**

    ```sql
    CREATE TABLE leads (
        id bigint PRIMARY KEY,
        customer_id bigint REFERENCES customers (id)
    );
    CREATE INDEX leads_customer_id_idx ON leads (customer_id);
    ```
    """

    code = "SW105"
    name = "foreign-key-without-index"
    severity = "warning"
    help = "CREATE INDEX on the foreign key columns (CONCURRENTLY if the table has data)."

    def check_set(self, ctx: SetContext) -> Iterator[Hit]:
        for table in ctx.state.tables.values():
            if table.origin is None:  # indexes made before the linted files are unknown
                continue
            prefixes = _index_keys(ctx.state, table)
            for fk in table.foreign_keys:
                if fk.origin is None or not fk.columns:
                    continue
                width = len(fk.columns)
                if not any(set(key[:width]) == set(fk.columns) for key in prefixes):
                    yield Hit(
                        f"foreign key {table.key} ({', '.join(fk.columns)}) -> "
                        f"{fk.ref_table} has no index on its columns",
                        at=fk.origin,
                    )


def _index_keys(state: ReplayState, table: Table) -> list[tuple[str, ...]]:
    keys = [state.indexes[i].columns for i in table.indexes if i in state.indexes]
    keys.extend(table.uniques.values())
    if table.primary_key:
        keys.append(table.primary_key)
    return keys
