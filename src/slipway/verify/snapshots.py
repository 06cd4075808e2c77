"""Catalog snapshots that re-read only the tables a migration could have changed.

Verification takes two or three snapshots per migration, and most migrations touch one or
two tables, so re-reading every table each time is the main cost. A cheap query fingerprints
each table by the row versions (xmin, ctid) of every catalog row that makes up its part of
the Catalog — the table, its columns, defaults, constraints, indexes, triggers, policies,
comments, partitioning, owned sequences — and of the objects those refer to by name (the
types, functions, tables and columns in pg_depend), since a rename there changes how the
table is printed. PostgreSQL writes a new row version for every change, and a rolled-back
savepoint makes its versions vanish, so an unchanged fingerprint proves the table unchanged;
such tables are taken from the earlier snapshot, the others are introspected again (with
`exclude_tables`). Views, functions, types, schemas and extensions are always re-read.

Only statistics (reltuples, relpages) are updated in place by VACUUM/ANALYZE without a new
row version, and they are not compared. Committed, non-transactional steps (CREATE INDEX
CONCURRENTLY flips index flags in place) always get full snapshots.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

import psycopg

from slipway.catalog.diff import diff
from slipway.catalog.introspect import DEFAULT_EXCLUDE_TABLES, introspect
from slipway.catalog.model import Catalog

# table oid -> (schema, name, md5); oid 0 -> ('', '*', md5 of every user catalog row)
Fingerprints = dict[int, tuple[str, str, str]]

_PARTS = """
WITH rel AS (
  SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relkind IN ('r', 'p', 'f') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
     AND n.nspname !~ '^pg_(toast|temp_)'
), part AS (
  SELECT oid AS rel, 'pg_class'::regclass AS cls, oid AS obj FROM rel
  UNION ALL SELECT x.indrelid, 'pg_class'::regclass, x.indexrelid
    FROM pg_index x JOIN rel ON rel.oid = x.indrelid
  UNION ALL SELECT x.conrelid, 'pg_constraint'::regclass, x.oid
    FROM pg_constraint x JOIN rel ON rel.oid = x.conrelid
  UNION ALL SELECT x.tgrelid, 'pg_trigger'::regclass, x.oid
    FROM pg_trigger x JOIN rel ON rel.oid = x.tgrelid
  UNION ALL SELECT x.polrelid, 'pg_policy'::regclass, x.oid
    FROM pg_policy x JOIN rel ON rel.oid = x.polrelid
  UNION ALL SELECT x.adrelid, 'pg_attrdef'::regclass, x.oid
    FROM pg_attrdef x JOIN rel ON rel.oid = x.adrelid
  UNION ALL SELECT d.refobjid, 'pg_class'::regclass, d.objid
    FROM pg_depend d JOIN rel ON rel.oid = d.refobjid
   WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
     AND d.deptype IN ('a', 'i') AND d.objsubid = 0
)"""
_VERSIONS = """, v AS (
  SELECT p.rel, x.xmin::text || x.ctid::text AS v
    FROM part p JOIN pg_class x ON p.cls = 'pg_class'::regclass AND x.oid = p.obj
  UNION ALL SELECT p.rel, x.xmin::text || x.ctid::text
    FROM part p JOIN pg_index x ON p.cls = 'pg_class'::regclass AND x.indexrelid = p.obj
  UNION ALL SELECT p.rel, x.xmin::text || x.ctid::text
    FROM part p JOIN pg_sequence x ON p.cls = 'pg_class'::regclass AND x.seqrelid = p.obj
  UNION ALL SELECT p.rel, x.xmin::text || x.ctid::text
    FROM part p JOIN pg_attribute x ON p.cls = 'pg_class'::regclass AND x.attrelid = p.obj
                                   AND x.attnum > 0
  UNION ALL SELECT p.rel, x.xmin::text || x.ctid::text
    FROM part p JOIN pg_constraint x ON p.cls = 'pg_constraint'::regclass AND x.oid = p.obj
  UNION ALL SELECT p.rel, x.xmin::text || x.ctid::text
    FROM part p JOIN pg_trigger x ON p.cls = 'pg_trigger'::regclass AND x.oid = p.obj
  UNION ALL SELECT p.rel, x.xmin::text || x.ctid::text
    FROM part p JOIN pg_policy x ON p.cls = 'pg_policy'::regclass AND x.oid = p.obj
  UNION ALL SELECT p.rel, x.xmin::text || x.ctid::text
    FROM part p JOIN pg_attrdef x ON p.cls = 'pg_attrdef'::regclass AND x.oid = p.obj
  UNION ALL SELECT p.rel, x.xmin::text || x.ctid::text
    FROM part p JOIN pg_description x ON x.classoid = p.cls AND x.objoid = p.obj
                                     AND x.objoid >= 16384
  UNION ALL SELECT x.inhrelid, x.xmin::text || x.ctid::text
    FROM pg_inherits x JOIN rel ON rel.oid = x.inhrelid
  UNION ALL SELECT x.partrelid, x.xmin::text || x.ctid::text
    FROM pg_partitioned_table x JOIN rel ON rel.oid = x.partrelid
  UNION ALL SELECT p.rel, concat(rc.xmin, rc.ctid, ra.xmin, ra.ctid, rp.xmin, rp.ctid,
                                 rt.xmin, rt.ctid, rn.xmin, rn.ctid)
    FROM part p JOIN pg_depend d ON d.classid = p.cls AND d.objid = p.obj AND d.deptype = 'n'
                                AND d.objid >= 16384 AND d.refobjid >= 16384  -- not built-ins
    LEFT JOIN pg_class rc ON d.refclassid = 'pg_class'::regclass AND rc.oid = d.refobjid
    LEFT JOIN pg_attribute ra ON d.refclassid = 'pg_class'::regclass
          AND ra.attrelid = d.refobjid AND d.refobjsubid > 0 AND ra.attnum = d.refobjsubid
    LEFT JOIN pg_proc rp ON d.refclassid = 'pg_proc'::regclass AND rp.oid = d.refobjid
    LEFT JOIN pg_type rt ON d.refclassid = 'pg_type'::regclass AND rt.oid = d.refobjid
    LEFT JOIN pg_namespace rn
           ON rn.oid = coalesce(rc.relnamespace, rp.pronamespace, rt.typnamespace)
)
SELECT c.oid, n.nspname, c.relname, md5(string_agg(v.v, ',' ORDER BY v.v))
  FROM v JOIN pg_class c ON c.oid = v.rel JOIN pg_namespace n ON n.oid = c.relnamespace
 GROUP BY 1, 2, 3
"""
# Everything that is not a table (tables have their own prints above): views, materialized
# views, composite types and sequences with their columns, rules, indexes and triggers;
# functions, types, enum labels, domain checks, schemas, extensions, comments and sequence
# ownership. When every print matches, nothing changed and the earlier snapshot is reused.
_GLOBAL = """
UNION ALL
SELECT 0, '', '*', count(*)::text || ':' || sum(hashtextextended(g.v, 0)::numeric)::text FROM (
  SELECT x.xmin::text || x.ctid::text AS v FROM pg_class x
   WHERE x.oid >= 16384 AND x.relkind IN ('v', 'm', 'c', 'S')
  UNION ALL SELECT a.xmin::text || a.ctid::text FROM pg_attribute a
    JOIN pg_class x ON x.oid = a.attrelid AND x.oid >= 16384 AND x.relkind IN ('v', 'm', 'c')
   WHERE a.attnum > 0
  UNION ALL SELECT i.xmin::text || i.ctid::text FROM pg_index i
    JOIN pg_class x ON x.oid = i.indrelid AND x.oid >= 16384 AND x.relkind = 'm'
  UNION ALL SELECT t.xmin::text || t.ctid::text FROM pg_trigger t
    JOIN pg_class x ON x.oid = t.tgrelid AND x.oid >= 16384 AND x.relkind = 'v'
  UNION ALL SELECT xmin::text || ctid::text FROM pg_rewrite WHERE oid >= 16384
  UNION ALL SELECT xmin::text || ctid::text FROM pg_sequence WHERE seqrelid >= 16384
  UNION ALL SELECT d.xmin::text || d.ctid::text FROM pg_depend d
   WHERE d.classid = 'pg_class'::regclass AND d.objid >= 16384 AND d.deptype IN ('a', 'i')
     AND d.refclassid = 'pg_class'::regclass
  UNION ALL SELECT xmin::text || ctid::text FROM pg_proc WHERE oid >= 16384
  UNION ALL SELECT xmin::text || ctid::text FROM pg_type WHERE oid >= 16384
  UNION ALL SELECT xmin::text || ctid::text FROM pg_enum WHERE oid >= 16384
  UNION ALL SELECT xmin::text || ctid::text FROM pg_constraint WHERE contypid >= 16384
  UNION ALL SELECT xmin::text || ctid::text FROM pg_description
   WHERE (objoid >= 16384 AND classoid <> 'pg_class'::regclass)
      OR classoid = 'pg_namespace'::regclass
      OR (classoid = 'pg_class'::regclass AND objoid IN (
          SELECT oid FROM pg_class WHERE oid >= 16384 AND relkind IN ('v', 'm', 'c', 'S')))
  UNION ALL SELECT xmin::text || ctid::text FROM pg_namespace
  UNION ALL SELECT xmin::text || ctid::text FROM pg_extension
) g
"""
FINGERPRINTS = _PARTS + _VERSIONS + _GLOBAL


@dataclass(frozen=True)
class Snapshot:
    catalog: Catalog
    prints: Fingerprints


class SnapshotMismatch(AssertionError):
    """An incremental snapshot differed from a full one (only raised with `check`)."""


class Snapshots:
    """Takes snapshots on one connection; `check` cross-checks each against a full read."""

    def __init__(
        self,
        conn: psycopg.Connection[Any],
        privileges: bool = True,
        incremental: bool = True,
        check: bool = False,
    ) -> None:
        self.conn, self.privileges = conn, privileges
        self.incremental, self.check = incremental, check

    def take(self, base: Snapshot | None = None) -> Snapshot:
        """The current catalog; tables unchanged since `base` are taken from it."""
        prints = self.fingerprints()
        if base is None or not self.incremental:
            return Snapshot(self._read(DEFAULT_EXCLUDE_TABLES), prints)
        if prints == base.prints:  # not one catalog row changed: the same catalog
            if self.check:
                self._cross_check(base.catalog)
            return base
        before = {(t.schema, t.name): t for t in base.catalog.tables}
        keep = {
            (s, n)
            for oid, (s, n, h) in prints.items()
            if oid and base.prints.get(oid) == (s, n, h) and (s, n) in before
        }
        patterns = set(DEFAULT_EXCLUDE_TABLES) | {_glob_literal(f"{s}.{n}") for s, n in keep}
        fresh = self._read(patterns)
        owners = {f"{s}.{n}" for s, n in keep}
        kept_sequences = tuple(
            q
            for q in base.catalog.sequences
            if q.owned_by and q.owned_by.rsplit(".", 1)[0] in owners
        )
        catalog = replace(
            fresh,
            tables=_sorted(fresh.tables + tuple(before[k] for k in keep)),
            sequences=_sorted(fresh.sequences + kept_sequences),
        )
        if self.check:
            self._cross_check(catalog)
        return Snapshot(catalog, prints)

    def fingerprints(self) -> Fingerprints:
        rows = self.conn.execute(FINGERPRINTS).fetchall()
        return {int(oid): (str(s), str(n), str(h)) for oid, s, n, h in rows}

    def _read(self, exclude: set[str] | frozenset[str]) -> Catalog:
        catalog = introspect(self.conn, exclude_tables=exclude, include_privileges=self.privileges)
        return replace(
            catalog, tables=_sorted(catalog.tables), sequences=_sorted(catalog.sequences)
        )

    def _cross_check(self, catalog: Catalog) -> None:
        full = self._read(DEFAULT_EXCLUDE_TABLES)
        changes = diff(
            full, catalog, compare_privileges=self.privileges, compare_owner=self.privileges
        )
        if changes:
            raise SnapshotMismatch(
                "incremental snapshot differs from a full one: "
                + "; ".join(str(c) for c in changes[:5])
            )


def _glob_literal(text: str) -> str:
    """A shell pattern matching exactly `text`."""
    return re.sub(r"([*?\[])", r"[\1]", text)


def _sorted(items: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(sorted(items, key=lambda o: (o.schema, o.name)))
