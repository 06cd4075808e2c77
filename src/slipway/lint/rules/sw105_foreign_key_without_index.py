from __future__ import annotations

from collections.abc import Iterator

from slipway.catalog.fk_coverage import covers_foreign_key
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
            candidates = _indexes(ctx.state, table)
            for fk in table.foreign_keys:
                if fk.origin is None or not fk.columns:
                    continue
                if not any(
                    covers_foreign_key(fk.columns, cols, method=method, predicate=where)
                    for cols, method, where in candidates
                ):
                    yield Hit(
                        f"foreign key {table.key} ({', '.join(fk.columns)}) -> "
                        f"{fk.ref_table} has no index on its columns",
                        at=fk.origin,
                    )


def _indexes(state: ReplayState, table: Table) -> list[tuple[tuple[str, ...], str, str | None]]:
    """(key columns, method, predicate) of every index on `table`, the btree indexes behind its
    primary key and unique constraints included (PostgreSQL makes them)."""
    out = [
        (ix.columns, ix.method, ix.predicate)
        for ix in (state.indexes[i] for i in table.indexes if i in state.indexes)
    ]
    out.extend((cols, "btree", None) for cols in table.uniques.values())
    if table.primary_key:
        out.append((table.primary_key, "btree", None))
    return out
