"""The SQL of an import, built from a mapping: staging table, merge, deactivation, log.

Set-based on purpose: one UPDATE per identity key touching only rows whose values differ
(`IS DISTINCT FROM`, so an unchanged feed rewrites nothing), one INSERT per key for new rows
(anti-join), one UPDATE for rows a full feed no longer lists.

Re-importing an unchanged feed is mostly that UPDATE finding nothing to do, so its comparison
is the hot spot: a jsonb column is first compared as text, the table's value as jsonb prints
it against the staged value's rendering in that same form, built from the raw text with a few
string operations (see `rendered`). Parsing JSON and comparing jsonb happen only when the text
differs, so the outcome is exactly that of comparing the jsonb values.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable

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


def create_stage(
    width: int, staged: list[StagedColumn], types: dict[str, str]
) -> list[sql.Composed]:
    """A temporary, unindexed staging table dropped at commit, holding the file's fields as
    they are (`_c0` ...), and a view over it that types them as the target's columns (casts,
    JSON arrays, the extra object): the merge reads the view, so the conversions run once,
    inside the merge, and the staged data is stored only once. A jsonb column also has its
    text rendering in the view (`_text_<name>`, see `rendered`), for update_changed."""
    raw: list[sql.Composable] = [sql.SQL("_key smallint"), sql.SQL("_ok boolean")]
    raw += [sql.SQL("{} text").format(_raw(i)) for i in range(width)]
    typed: list[sql.Composable] = [sql.SQL("_key"), sql.SQL("_ok")]
    typed += [
        sql.SQL("{} AS {}").format(_staged_expr(col, types[col.name]), _id(col.name))
        for col in staged
    ]
    for col in staged:
        text = rendered(col, types[col.name])
        if text is not None:
            typed.append(sql.SQL("{} AS {}").format(text, _text(col.name)))
    return [
        sql.SQL("CREATE TEMP TABLE {} ({}) ON COMMIT DROP").format(
            _id(RAW), sql.SQL(", ").join(raw)
        ),
        sql.SQL("CREATE TEMP VIEW {} AS SELECT {} FROM {}").format(
            _id(STAGE), sql.SQL(", ").join(typed), _id(RAW)
        ),
    ]


def text_compared(staged: list[StagedColumn], types: dict[str, str]) -> list[str]:
    """The staged columns that the view also offers as text (`_text_<name>`)."""
    return [col.name for col in staged if _renders(col, types[col.name])]


def _raw(pos: int) -> sql.Identifier:
    return sql.Identifier(f"_c{pos}")


def _text(name: str) -> sql.Identifier:
    return sql.Identifier(f"_text_{name}")


def _source(col: StagedColumn) -> sql.Composable:
    if len(col.sources) > 1:
        return sql.SQL("COALESCE({})").format(sql.SQL(", ").join(_raw(p) for p in col.sources))
    return _raw(col.sources[0])


def _staged_expr(col: StagedColumn, sqltype: str) -> sql.Composable:
    if _renders(col, sqltype):  # the rendering parsed: one expression for both
        return sql.SQL("({})::jsonb").format(rendered(col, sqltype))
    if col.kind == "extra":
        return _extra_expr(col, sqltype)
    if col.kind == "list":
        return list_expr(_source(col), col.separator, sqltype)
    return sql.SQL("({})::{}").format(_source(col), sql.SQL(sqltype))


def _renders(col: StagedColumn, sqltype: str) -> bool:
    return sqltype == "jsonb" and col.kind in ("list", "extra", "packed")


def rendered(col: StagedColumn, sqltype: str) -> sql.Composable | None:
    """The staged value of a jsonb list or extra column as jsonb prints it (`["a", "b"]`,
    `{"k": "v"}`: `, ` between items, `: ` after keys, keys shortest first then bytewise),
    made from the raw text without parsing; None for any other column. The staged value is
    this text parsed, and jsonb prints a value the way it reads it back, so a stored value
    whose text equals the rendering equals the staged value. Conversely Python escaped list
    items and extra values as jsonb does (json.dumps), so an equal value renders equally in
    practice; one that does not is merely compared the slow way, never missed."""
    if not _renders(col, sqltype):
        return None
    if col.kind == "list":
        return list_text(_source(col), col.separator)
    if col.kind == "packed":  # Python rendered it as jsonb prints it (wide.py)
        return _source(col)
    return _extra_text(col)


def list_text(raw: sql.Composable, sep: str) -> sql.Composable:
    """'a, b,c' -> '["a", "b", "c"]' (Python made items trimmed and JSON-safe);
    NULL (an empty field) -> '[]'."""
    return sql.SQL("""COALESCE('["' || replace({}, {}, '", "') || '"]', '[]')""").format(
        _tight(raw, sep), sql.Literal(sep)
    )


def list_expr(raw: sql.Composable, sep: str, sqltype: str) -> sql.Composable:
    """'a, b,c' -> ["a","b","c"] (Python made items trimmed and JSON-safe)."""
    return sql.SQL(
        """COALESCE(('["' || replace({}, {}, '","') || '"]')::jsonb, '[]')::{}"""
    ).format(_tight(raw, sep), sql.Literal(sep), sql.SQL(sqltype))


def _tight(raw: sql.Composable, sep: str) -> sql.Composable:
    """The list without the space its separators may have after them (Python rewrote
    every other spacing: see checks._list_check)."""
    return sql.SQL("replace({}, {}, {})").format(raw, sql.Literal(sep + " "), sql.Literal(sep))


def _extra_text(col: StagedColumn) -> sql.Composable:
    """Unknown columns as jsonb prints the object: empty values left out, keys in jsonb's
    order (shorter first, then bytewise; a stable sort keeps duplicates' file order, so the
    last one still wins when parsed)."""
    pairs = sorted(zip(col.sources, col.headers), key=lambda p: (len(p[1].encode()), p[1].encode()))
    return sql.SQL("('{{' || substr({}, 3) || '}}')").format(_members(pairs, ", ", ": "))


def _extra_expr(col: StagedColumn, sqltype: str) -> sql.Composable:
    """Unknown columns as one JSON object, empty values left out."""
    members = _members(zip(col.sources, col.headers), ",", ":")
    return sql.SQL("('{{' || substr({}, 2) || '}}')::{}").format(members, sql.SQL(sqltype))


def _members(pairs: Iterable[tuple[int, str]], comma: str, colon: str) -> sql.Composable:
    """`<comma>"key"<colon>"value"` for each (raw position, key) with a value, concatenated."""
    return sql.SQL(" || ").join(
        sql.SQL("CASE WHEN {} IS NULL THEN '' ELSE {} || {} || '\"' END").format(
            _raw(pos),
            sql.Literal(comma + json.dumps(header, ensure_ascii=False) + colon + '"'),
            _raw(pos),
        )
        for pos, header in pairs
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


def update_changed(
    mapping: FeedMapping, columns: list[str], key: int, texts: Collection[str] = ()
) -> sql.Composed:
    """Rewrite only rows whose staged values differ (or that come back after deactivation).
    Columns in `texts` are compared as text first (see `rendered`): equal text means equal
    values, and only a differing text leads to the exact comparison."""
    t, s = sql.Identifier("t"), sql.Identifier("s")
    sets = [sql.SQL("{} = {}.{}").format(_id(c), s, _id(c)) for c in columns]
    differs = [
        sql.SQL("{}.{} IS DISTINCT FROM {}.{}").format(t, _id(c), s, _id(c))
        for c in columns if c not in texts
    ]  # fmt: skip
    differs += [
        sql.SQL("({}.{}::text IS DISTINCT FROM {}.{} AND {}.{} IS DISTINCT FROM {}.{})").format(
            t, _id(c), s, _text(c), t, _id(c), s, _id(c)
        )
        for c in columns if c in texts
    ]  # fmt: skip
    lc = mapping.lifecycle
    if lc:
        active = sql.SQL("{}.{}").format(t, _id(lc.active_column))
        sets.append(sql.SQL("{} = true").format(_id(lc.active_column)))
        if lc.status_column:
            sets.append(
                sql.SQL("{} = CASE WHEN {} THEN {}.{} ELSE {} END").format(
                    _id(lc.status_column),
                    active,
                    t,
                    _id(lc.status_column),
                    sql.Literal(lc.active_status),
                )
            )
        for stamp in lc.stamp_columns:
            sets.append(
                sql.SQL("{} = CASE WHEN {} THEN {}.{} END").format(
                    _id(stamp), active, t, _id(stamp)
                )
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


def deactivate_missing(mapping: FeedMapping, keys: Iterable[int]) -> sql.Composed:
    """Full feed: the tenant's active rows that no staged row names become inactive, stamped.
    `keys`: the identity keys (0-based) the file has columns for; no row is named by another."""
    lc = mapping.lifecycle
    assert lc is not None
    sets = [sql.SQL("{} = false").format(_id(lc.active_column))]
    if lc.status_column:
        sets.append(
            sql.SQL("{} = {}").format(_id(lc.status_column), sql.Literal(lc.missing_status))
        )
    sets += [sql.SQL("{} = now()").format(_id(c)) for c in lc.stamp_columns]
    absent = [
        sql.SQL("NOT EXISTS (SELECT 1 FROM {} AS s WHERE s._key = {} AND {})").format(
            _id(STAGE), sql.Literal(k + 1), _key_match(mapping, k, "t", "s")
        )
        for k in keys
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
