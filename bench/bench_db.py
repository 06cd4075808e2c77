"""Scratch databases for the benchmarks, and a catalog snapshot to prove each tool did the work.

The snapshot lists every schema object in `public` as one text line (columns with type, default
and nullability, constraints, index definitions and validity, function bodies, triggers, RLS
policies, enum values in order, views, comments, extensions), leaving out each tool's own history
tables, so two databases migrated by different tools compare equal exactly when the corpus was
applied the same way.
"""

from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path
from typing import Any

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"

# History/lock tables of the tools under test, and anything derived from their names.
TOOL_OBJECTS = re.compile(
    r"\b(?:public\.)?(?:schema_migrations|_yoyo_|yoyo_lock|floor_migrations|slipway_)\w*"
)

SNAPSHOT_SQL = """
SELECT 'rel ' || c.relname || ' ' || c.relkind::text || ' rls=' || c.relrowsecurity
       || ' comment=' || coalesce(obj_description(c.oid, 'pg_class'), '')
FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace
UNION ALL
SELECT 'col ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
       || ' notnull=' || a.attnotnull || ' identity=' || a.attidentity::text
       || ' default=' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
       || ' comment=' || coalesce(col_description(c.oid, a.attnum), '')
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid AND c.relkind IN ('r', 'v', 'm', 'p')
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE c.relnamespace = 'public'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
UNION ALL
SELECT 'con ' || conrelid::regclass::text || ' ' || conname || ' '
       || pg_get_constraintdef(oid) || ' valid=' || convalidated
FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid <> 0
UNION ALL
SELECT 'idx ' || pg_get_indexdef(i.indexrelid) || ' valid=' || i.indisvalid
FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
WHERE c.relnamespace = 'public'::regnamespace
UNION ALL
SELECT 'fn ' || p.oid::regprocedure::text || ' returns ' || pg_get_function_result(p.oid)
       || ' body=' || md5(coalesce(p.prosrc, '')) || ' secdef=' || p.prosecdef
       || ' config=' || coalesce(array_to_string(p.proconfig, ','), '')
FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
UNION ALL
SELECT 'trg ' || pg_get_triggerdef(t.oid) FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
WHERE NOT t.tgisinternal AND c.relnamespace = 'public'::regnamespace
UNION ALL
SELECT 'pol ' || tablename || ' ' || policyname || ' ' || cmd || ' ' || coalesce(qual, '')
       || ' ' || coalesce(with_check, '')
FROM pg_policies WHERE schemaname = 'public'
UNION ALL
SELECT 'enum ' || t.typname || ' ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid
WHERE t.typnamespace = 'public'::regnamespace GROUP BY t.typname
UNION ALL
SELECT 'view ' || viewname || ' ' || definition FROM pg_views WHERE schemaname = 'public'
UNION ALL
SELECT 'matview ' || matviewname || ' ' || definition FROM pg_matviews
WHERE schemaname = 'public'
UNION ALL
SELECT 'ext ' || extname FROM pg_extension
"""


def url_for(dbname: str, admin_url: str = ADMIN_URL) -> str:
    """The admin URL pointed at another database (libpq URL form; a socket URL's ?host= kept)."""
    head, sep, query = admin_url.partition("?")
    base, _, _ = head.rpartition("/")
    return f"{base}/{dbname}{sep}{query}"


def connect(url: str, tries: int = 5) -> Any:
    """An autocommit connection; retried, since a busy shared server can refuse one
    for a moment ("out of shared memory", "too many clients")."""
    import psycopg

    for attempt in range(1, tries + 1):
        try:
            return psycopg.connect(url, autocommit=True)
        except psycopg.OperationalError:
            if attempt == tries:
                raise
            time.sleep(attempt)
    raise AssertionError("unreachable")


def recreate_database(name: str, admin_url: str = ADMIN_URL) -> str:
    """Drop `name` if it exists, create it empty from template0, return its URL."""
    with connect(admin_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        # Flush what creating (and dropping) a database wrote, so that no tool's timed run
        # pays for a checkpoint that an earlier run started.
        conn.execute("CHECKPOINT")
    return url_for(name, admin_url)


def drop_database(name: str, admin_url: str = ADMIN_URL) -> None:
    with connect(admin_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def snapshot(url: str) -> list[str]:
    """Every corpus object in `public` as a sorted list of text lines (tool tables left out)."""
    with connect(url) as conn:
        rows = conn.execute(SNAPSHOT_SQL).fetchall()
    return sorted(str(r[0]) for r in rows if not TOOL_OBJECTS.search(str(r[0])))


def fingerprint(url: str) -> str:
    return hashlib.sha256("\n".join(snapshot(url)).encode()).hexdigest()[:16]


def server_version(admin_url: str = ADMIN_URL) -> str:
    with connect(admin_url) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return str(row[0]).split()[0] if row else "?"


def write_section(path: Path, section: str, heading: str) -> None:
    """Replace (or add) one benchmark's `## ...` section of RESULTS.md, leaving the others
    alone; sections stay separated by one blank line."""
    text = path.read_text() if path.exists() else "# Benchmark results\n"
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.DOTALL | re.MULTILINE)
    body = section.rstrip("\n") + "\n\n"
    if pattern.search(text):
        text = pattern.sub(lambda _: body, text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + body
    path.write_text(text.rstrip("\n") + "\n")
