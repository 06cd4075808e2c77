"""The statistics model: what the server measures about the schema, beside its structure.

The Catalog says what exists (tables, partitions, indexes, definitions); `Statistics` says how
big and how used it is: row estimates, sizes, scans, live and dead tuples, last (auto)vacuum
and (auto)analyze, transaction-ID ages, cache hits, how far sequences have come.
`read_statistics` fills it from a live database in four set-based queries (relations, indexes,
sequences, the database), sent at once; the
doctor, `slipway serve` and `slipway maintain` read it. Its JSON form (`to_dict`/`from_dict`,
`{"format": "slipway-stats", "version": 1, ...}`) is stable, so a snapshot saved from
production can be read back elsewhere. Objects are named by schema and name (oids mean
nothing in another database).

Sizes come in two kinds (`Statistics.sizes`): "estimated" (pages as of the last VACUUM,
ANALYZE or index build: one catalog read however many tables there are; the doctor) and
"exact" (pg_table_size, and pg_total_relation_size per index, which add up to pg_indexes_size:
TOAST and free-space maps included, one stat call per relation; the metrics).
"""

from __future__ import annotations

import dataclasses
import json
import typing
from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from slipway.db import Conn
from slipway.errors import ConfigError

FORMAT = "slipway-stats"
VERSION = 1
Sizes = Literal["estimated", "exact"]
_KINDS = {"r": "ordinary", "p": "partitioned", "m": "matview"}


@dataclass(frozen=True, slots=True)
class TableStats:
    """One table, partitioned table or materialized view."""

    schema: str
    name: str
    kind: str = "ordinary"  # ordinary, partitioned, matview
    estimated_rows: float = -1  # reltuples; -1 (0 before PostgreSQL 14) when never analyzed
    pages: int = 0  # relpages as of the last VACUUM/ANALYZE
    table_bytes: int = 0  # without indexes (see Statistics.sizes)
    index_bytes: int = 0  # all its indexes
    row_width: int | None = None  # average row bytes from pg_stats, tables of 1 MB and more
    seq_scan: int = 0
    seq_tup_read: int = 0
    idx_scan: int | None = None  # summed over its indexes; None when it has none
    live_tuples: int = 0
    dead_tuples: int = 0
    inserted: int = 0
    updated: int = 0
    deleted: int = 0
    modified_since_analyze: int = 0
    last_vacuum: datetime | None = None
    last_autovacuum: datetime | None = None
    last_analyze: datetime | None = None
    last_autoanalyze: datetime | None = None
    xid_age: int | None = None  # age(relfrozenxid) of ordinary tables

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"

    @property
    def total_bytes(self) -> int:
        return self.table_bytes + self.index_bytes


@dataclass(frozen=True, slots=True)
class IndexStats:
    """One index: how often it was scanned and how big it is."""

    schema: str
    table: str
    name: str
    scans: int = 0
    bytes: int = 0


@dataclass(frozen=True, slots=True)
class SequenceStats:
    """How far one sequence has come (its settings are the Catalog's `Sequence`)."""

    schema: str
    name: str
    last_value: int | None = None  # None: never called, unreadable, or too wide to run out


@dataclass(frozen=True, slots=True)
class DatabaseStats:
    """The database as a whole."""

    name: str = ""
    bytes: int = 0
    blocks_hit: int = 0
    blocks_read: int = 0
    stats_reset: datetime | None = None
    xid_age: int = 0  # age(datfrozenxid)
    mxid_age: int = 0  # mxid_age(datminmxid)

    @property
    def cache_hit_ratio(self) -> float | None:
        total = self.blocks_hit + self.blocks_read
        return self.blocks_hit / total if total else None


@dataclass(frozen=True, slots=True)
class Statistics:
    """Statistics of one database at one moment (`collected_at`, the server's now())."""

    collected_at: datetime | None = None
    server_version: int = 0
    sizes: Sizes = "estimated"
    database: DatabaseStats = field(default_factory=DatabaseStats)
    tables: tuple[TableStats, ...] = ()
    indexes: tuple[IndexStats, ...] = ()
    sequences: tuple[SequenceStats, ...] = ()
    _tables: dict[tuple[str, str], TableStats] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _indexes: dict[tuple[str, str], IndexStats] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _sequences: dict[tuple[str, str], SequenceStats] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        tables = tuple(sorted(self.tables, key=lambda t: (t.schema, t.name)))
        indexes = tuple(sorted(self.indexes, key=lambda i: (i.schema, i.table, i.name)))
        sequences = tuple(sorted(self.sequences, key=lambda s: (s.schema, s.name)))
        object.__setattr__(self, "tables", tables)
        object.__setattr__(self, "indexes", indexes)
        object.__setattr__(self, "sequences", sequences)
        object.__setattr__(self, "_sequences", {(s.schema, s.name): s for s in sequences})
        object.__setattr__(self, "_tables", {(t.schema, t.name): t for t in tables})
        object.__setattr__(self, "_indexes", {(i.schema, i.name): i for i in indexes})

    def table(self, schema: str, name: str) -> TableStats | None:
        return self._tables.get((schema, name))

    def index(self, schema: str, name: str) -> IndexStats | None:
        """An index by schema and name (index names are unique per schema)."""
        return self._indexes.get((schema, name))

    def sequence(self, schema: str, name: str) -> SequenceStats | None:
        return self._sequences.get((schema, name))

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: {"format": "slipway-stats", "version": 1, ...}, datetimes in ISO."""
        return {"format": FORMAT, "version": VERSION, **_encode(self)}

    @classmethod
    def from_dict(cls, data: Any) -> Statistics:
        """Statistics from `to_dict`'s form; ConfigError when it is not one. Unknown keys (a
        newer slipway's) are ignored, missing ones take their defaults."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ConfigError(
                'not a slipway statistics snapshot (expected "format": "slipway-stats")'
            )
        if not isinstance(data.get("version"), int) or data["version"] > VERSION:
            raise ConfigError(
                f"statistics snapshot version {data.get('version')!r} is newer than this slipway "
                f"understands ({VERSION}); upgrade slipway"
            )
        try:
            stats: Statistics = _decode(cls, data)
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            raise ConfigError(f"malformed statistics snapshot: {exc}") from exc
        return stats


def save_statistics(stats: Statistics, path: str | Path) -> None:
    """Write `stats` as its JSON form; ConfigError (one line) when the file cannot be written."""
    text = json.dumps(stats.to_dict(), indent=1, ensure_ascii=False) + "\n"
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"cannot write the statistics to {path}: {exc.strerror}",
            hint="pick a writable path",
        ) from exc


def load_statistics(path: str | Path) -> Statistics:
    """Statistics saved by `save_statistics`; ConfigError when unreadable or not a snapshot."""
    from slipway.catalog.serialize import read_json

    return Statistics.from_dict(read_json(path, "statistics"))


def _encode(obj: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in dataclasses.fields(obj):
        if f.name.startswith("_"):
            continue
        value = getattr(obj, f.name)
        if isinstance(value, tuple):
            value = [_encode(v) for v in value]
        elif dataclasses.is_dataclass(value):
            value = _encode(value)
        elif isinstance(value, datetime):
            value = value.isoformat()
        out[f.name] = value
    return out


_MEMBERS: dict[str, type] = {
    "database": DatabaseStats,
    "tables": TableStats,
    "indexes": IndexStats,
    "sequences": SequenceStats,
}


def _decode(cls: type, data: dict[str, Any]) -> Any:
    hints = typing.get_type_hints(cls)
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name.startswith("_") or f.name not in data:
            continue
        value = data[f.name]
        member = _MEMBERS.get(f.name) if cls is Statistics else None
        if member is not None and f.name != "database":
            value = tuple(_decode(member, v) for v in value)
        elif member is not None:
            value = _decode(member, value)
        elif value is not None and datetime in typing.get_args(hints[f.name]):
            value = datetime.fromisoformat(value)
        kwargs[f.name] = value
    return cls(**kwargs)


def read_statistics(
    conn: Conn, *, sizes: Sizes = "estimated", relations: bool = True
) -> Statistics:
    """The statistics of the database behind `conn`, in four queries sent at once (one, the
    database's, with `relations=False`: it never waits for a table's lock). Read-only and
    never commits, so it may run inside the caller's (snapshot) transaction."""
    from psycopg import Pipeline

    from slipway.catalog.introspect import query

    params = {"exact": sizes == "exact"}
    names = ("stats_relations", "stats_indexes", "stats_sequences") if relations else ()
    with conn.pipeline() if Pipeline.is_supported() else nullcontext():
        cursors = [conn.cursor().execute(query(n), params) for n in (*names, "stats_database")]
        *results, database = (cur.fetchall() for cur in cursors)
    rels, indexes, sequences = results if results else ([], [], [])
    # Tuples, not dicts: a big database has tens of thousands of indexes.
    by_table: dict[int, list[IndexStats]] = {}
    for table_oid, *values in indexes:
        by_table.setdefault(table_oid, []).append(IndexStats(*values))
    now, version, *db = database[0]
    return Statistics(
        collected_at=now,
        server_version=int(version),
        sizes=sizes,
        database=DatabaseStats(*db),
        tables=tuple(_table(row, by_table.get(row[0], ())) for row in rels),
        indexes=tuple(ix for ixs in by_table.values() for ix in ixs),
        sequences=tuple(SequenceStats(*row) for row in sequences),
    )


def _table(row: tuple[Any, ...], indexes: Iterable[IndexStats]) -> TableStats:
    """A relation row (stats_relations.sql: oid, schema, name, kind, then TableStats' fields
    from estimated_rows to xid_age, without the two summed from the indexes)."""
    _oid, schema, name, kind, rows, pages, table_bytes, *rest = row
    index_bytes = scans = 0
    has_index = False
    for ix in indexes:  # one pass over the indexes, not a stat call per table
        index_bytes, scans, has_index = index_bytes + ix.bytes, scans + ix.scans, True
    width, seq_scan, seq_tup_read, *counters = rest
    return TableStats(schema, name, _KINDS[kind], rows, pages, table_bytes, index_bytes, width,
                      seq_scan, seq_tup_read, scans if has_index else None, *counters)  # fmt: skip
