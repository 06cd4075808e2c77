"""The SQL of an import, built from a mapping: staging table, merge, deactivation, log.

Set-based on purpose: one UPDATE per identity key touching only rows whose values differ
(`IS DISTINCT FROM`, so an unchanged feed rewrites nothing), one INSERT per key for new rows
(anti-join), one UPDATE for rows a full feed no longer lists.
"""

from __future__ import annotations

import json

from psycopg import sql

from slipway.feeds.mapping import FeedMapping
from slipway.feeds.rows import StagedColumn

STAGE = "slipway_feed_stage"  # the typed view the merge reads
RAW = "slipway_feed_raw"  # the table COPY fills
_CATALOG = """
SELECT a.attname,
       format_type(a.atttypid, a.atttypmod),
       CASE WHEN a.atttypid IN (1042, 1043) AND a.atttypmod > 0 THEN a.atttypmod - 4 END,
       CASE WHEN a.atttypid = 1700 AND a.atttypmod > 0 THEN ((a.atttypmod - 4) >> 16) & 65535 END,
       CASE WHEN a.atttypid = 1700 AND a.atttypmod > 0 THEN (a.atttypmod - 4) & 65535 END
FROM pg_attribute a
WHERE a.attrelid = to_regclass(%s) AND a.attnum > 0 AND NOT a.attisdropped
"""


def catalog_query() -> str:
    return _CATALOG


def _id(name: str) -> sql.Identifier:
    return sql.Identifier(*name.split("."))


def create_stage(width: int, staged: list[StagedColumn], types: dict[str, str]) -> list[sql.Composed]:
    """A temporary, unindexed staging table dropped at commit, holding the file's fields as
    they are (`_c0` ...), and a view over it that types them as the target's columns (casts,
    JSON arrays, the extra object): the merge reads the view, so the conversions run once,
    inside the merge, and the staged data is stored only once."""
    raw: list[sql.Composable] = [sql.SQL("_key smallint"), sql.SQL("_ok boolean")]
    raw += [sql.SQL("{} text").format(_raw(i)) for i in range(width)]
    typed: list[sql.Composable] = [sql.SQL("_key"), sql.SQL("_ok")]
    typed += [
        sql.SQL("{} AS {}").format(_staged_expr(col, types[col.name]), _id(col.name))
        for col in staged
    ]
    return [
        sql.SQL("CREATE TEMP TABLE {} ({}) ON COMMIT DROP").format(_id(RAW), sql.SQL(", ").join(raw)),
        sql.SQL("CREATE TEMP VIEW {} AS SELECT {} FROM {}").format(
            _id(STAGE), sql.SQL(", ").join(typed), _id(RAW)
        ),
    ]


def _raw(pos: int) -> sql.Identifier:
    return sql.Identifier(f"_c{pos}")


def _staged_expr(col: StagedColumn, sqltype: str) -> sql.Composable:
    if col.kind == "extra":
        return _extra_expr(col, sqltype)
    raw: sql.Composable = _raw(col.sources[0])
    if len(col.sources) > 1:
        raw = sql.SQL("COALESCE({})").format(sql.SQL(", ").join(_raw(p) for p in col.sources))
    if col.kind == "list":
        return list_expr(raw, col.separator, sqltype)
    return sql.SQL("({})::{}").format(raw, sql.SQL(sqltype))


def list_expr(raw: sql.Composable, sep: str, sqltype: str) -> sql.Composable:
    """'a, b,c' -> ["a","b","c"] (Python made items trimmed-or-single-spaced and JSON-safe)."""
    tight = sql.SQL("replace(replace({}, {}, {}), {}, {})").format(
        raw, sql.Literal(sep + " "), sql.Literal(sep), sql.Literal(" " + sep), sql.Literal(sep)
    )
    return sql.SQL("""COALESCE(('["' || replace({}, {}, '","') || '"]')::jsonb, '[]')::{}""").format(
        tight, sql.Literal(sep), sql.SQL(sqltype)
    )


def _extra_expr(col: StagedColumn, sqltype: str) -> sql.Composable:
    """Unknown columns as one JSON object, empty values left out."""
    pieces = [
        sql.SQL("CASE WHEN {} IS NULL THEN '' ELSE {} || {} || '\"' END").format(
            _raw(pos), sql.Literal("," + json.dumps(header, ensure_ascii=False) + ':"'), _raw(pos)
        )
        for pos, header in zip(col.sources, col.headers)
    ]
    return sql.SQL("('{{' || substr({}, 2) || '}}')::{}").format(
        sql.SQL(" || ").join(pieces), sql.SQL(sqltype)
    )


def copy_stage(width: int) -> sql.Composed:
    names = sql.SQL(", ").join([sql.SQL("_key"), sql.SQL("_ok")] + [_raw(i) for i in range(width)])
    return sql.SQL("COPY {} ({}) FROM STDIN (FORMAT text, NULL '')").format(_id(RAW), names)


def analyze_stage(positions: list[int]) -> sql.Composed:
    """Statistics on the join keys only: enough for the planner, a fraction of a full ANALYZE."""
    names = sql.SQL(", ").join([sql.SQL("_key"), sql.SQL("_ok"), *(_raw(p) for p in positions)])
    return sql.SQL("ANALYZE {} ({})").format(_id(RAW), names)


def drop_stage() -> sql.Composed:
    """The view is not dropped at commit with its table: drop both explicitly."""
    return sql.SQL("DROP VIEW IF EXISTS {}; DROP TABLE IF EXISTS {}").format(_id(STAGE), _id(RAW))


def _key_match(mapping: FeedMapping, key: int, target: str, stage: str) -> sql.Composed:
    """Row `target` is the one staged row `stage` names by identity key number `key` (0-based)."""
    t, s = sql.Identifier(target), sql.Identifier(stage)
    column = _id(mapping.identity[key])
    parts = [sql.SQL("{}.{} = {}.{}").format(t, column, s, column)]
    parts += [sql.SQL("{}.{} IS NULL").format(t, _id(c)) for c in mapping.identity[:key]]
    return sql.SQL(" AND ").join(parts)


def update_changed(mapping: FeedMapping, columns: list[str], key: int) -> sql.Composed:
    """Rewrite only rows whose staged values differ (or that come back after deactivation)."""
    t, s = sql.Identifier("t"), sql.Identifier("s")
    sets = [sql.SQL("{} = {}.{}").format(_id(c), s, _id(c)) for c in columns]
    differs = [sql.SQL("{}.{} IS DISTINCT FROM {}.{}").format(t, _id(c), s, _id(c)) for c in columns]
    lc = mapping.lifecycle
    if lc:
        active = sql.SQL("{}.{}").format(t, _id(lc.active_column))
        sets.append(sql.SQL("{} = true").format(_id(lc.active_column)))
        if lc.status_column:
            sets.append(
                sql.SQL("{} = CASE WHEN {} THEN {}.{} ELSE {} END").format(
                    _id(lc.status_column), active, t, _id(lc.status_column),
                    sql.Literal(lc.active_status),
                )
            )
        for stamp in lc.stamp_columns:
            sets.append(
                sql.SQL("{} = CASE WHEN {} THEN {}.{} END").format(_id(stamp), active, t, _id(stamp))
            )
        differs.append(sql.SQL("NOT {}").format(active))
    return sql.SQL(
        "UPDATE {} AS t SET {} FROM {} AS s WHERE s._ok AND s._key = {} AND t.{} = %(tenant)s"
        " AND {} AND ({})"
    ).format(
        _id(mapping.table), sql.SQL(", ").join(sets), _id(STAGE), sql.Literal(key + 1),
        _id(mapping.tenant_column), _key_match(mapping, key, "t", "s"),
        sql.SQL(" OR ").join(differs),
    )  # fmt: skip


def insert_new(mapping: FeedMapping, columns: list[str], key: int) -> sql.Composed:
    """Add staged rows (of identity key `key`) that match no existing row of the tenant."""
    targets = [_id(mapping.tenant_column), *(_id(c) for c in columns)]
    values: list[sql.Composable] = [sql.Placeholder("tenant")]
    values += [sql.SQL("s.{}").format(_id(c)) for c in columns]
    lc = mapping.lifecycle
    if lc and lc.first_seen_column:
        targets.append(_id(lc.first_seen_column))
        values.append(sql.SQL("now()"))
    return sql.SQL(
        "INSERT INTO {} ({}) SELECT {} FROM {} AS s WHERE s._ok AND s._key = {}"
        " AND NOT EXISTS (SELECT 1 FROM {} AS t WHERE t.{} = %(tenant)s AND {})"
    ).format(
        _id(mapping.table), sql.SQL(", ").join(targets), sql.SQL(", ").join(values),
        _id(STAGE), sql.Literal(key + 1), _id(mapping.table), _id(mapping.tenant_column),
        _key_match(mapping, key, "t", "s"),
    )  # fmt: skip


def deactivate_missing(mapping: FeedMapping, keys: int) -> sql.Composed:
    """Full feed: the tenant's active rows that no staged row names become inactive, stamped."""
    lc = mapping.lifecycle
    assert lc is not None
    sets = [sql.SQL("{} = false").format(_id(lc.active_column))]
    if lc.status_column:
        sets.append(sql.SQL("{} = {}").format(_id(lc.status_column), sql.Literal(lc.missing_status)))
    sets += [sql.SQL("{} = now()").format(_id(c)) for c in lc.stamp_columns]
    absent = [
        sql.SQL("NOT EXISTS (SELECT 1 FROM {} AS s WHERE s._key = {} AND {})").format(
            _id(STAGE), sql.Literal(k + 1), _key_match(mapping, k, "t", "s")
        )
        for k in range(keys)
    ]
    return sql.SQL("UPDATE {} AS t SET {} WHERE t.{} = %(tenant)s AND t.{} AND {}").format(
        _id(mapping.table), sql.SQL(", ").join(sets), _id(mapping.tenant_column),
        _id(lc.active_column), sql.SQL(" AND ").join(absent),
    )  # fmt: skip


def insert_log(mapping: FeedMapping) -> sql.Composed:
    """One row in the mapping's import log table; placeholders named after LOG_FIELDS."""
    assert mapping.log is not None
    cols = mapping.log.columns
    return sql.SQL("INSERT INTO {} ({}) VALUES ({}) RETURNING id").format(
        _id(mapping.log.table),
        sql.SQL(", ").join(_id(cols[f]) for f in cols),
        sql.SQL(", ").join(sql.Placeholder(f) for f in cols),
    )
