"""Tenant isolation kept across retention.

A partition read directly skips its parent's row level security, and once detached it is a
plain table holding every tenant's rows. So before a partition is detached it gets the
parent's row level security of its own (enabled and forced as the parent's is, the same
policies: commands, roles, USING and WITH CHECK), set while it is still attached so it never
stands alone without it. With `[maintain] archive_schema`, a detached partition then moves
into that schema with every grant on it revoked: only its owner (and superusers) can read it.
"""

from __future__ import annotations

from psycopg import sql

from slipway.db import Conn

_COMMANDS = {"r": "SELECT", "a": "INSERT", "w": "UPDATE", "d": "DELETE", "*": "ALL"}
_PARENT_SQL = "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = %s"
_POLICIES_SQL = """
SELECT p.polname, p.polpermissive, p.polcmd::text,
       ARRAY(SELECT CASE WHEN r.oid = 0 THEN NULL ELSE r.oid::regrole::text END
             FROM unnest(p.polroles) AS r(oid)),
       pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid)
FROM pg_policy p
WHERE p.polrelid = %s AND p.polname NOT IN (SELECT polname FROM pg_policy WHERE polrelid = %s)
ORDER BY p.polname
"""
_GRANTEES_SQL = """
SELECT DISTINCT CASE WHEN a.grantee = 0 THEN NULL ELSE a.grantee::regrole::text END
FROM pg_class c, aclexplode(c.relacl) a
WHERE c.oid = %s AND a.grantee <> c.relowner
"""


def _oid(conn: Conn, relation: sql.Composable) -> int:
    row = conn.execute("SELECT %s::regclass::oid", (relation.as_string(conn),)).fetchone()
    assert row is not None
    return int(row[0])


def protect(conn: Conn, parent: sql.Composable, part: sql.Composable) -> list[str]:
    """Give `part` the row level security of `parent` (policies it lacks, by name); in the
    caller's transaction. Returns what it did, for the action's details."""
    parent_oid, part_oid = _oid(conn, parent), _oid(conn, part)
    flags = conn.execute(_PARENT_SQL, (parent_oid,)).fetchone()
    if flags is None or not flags[0]:
        return []  # the parent has no row level security to keep
    done = []
    for name, permissive, cmd, roles, using, check in conn.execute(
        _POLICIES_SQL, (parent_oid, part_oid)
    ).fetchall():
        conn.execute(_create_policy(part, name, permissive, cmd, roles, using, check))
        done.append(f"policy {name}")
    conn.execute(sql.SQL("ALTER TABLE {} ENABLE ROW LEVEL SECURITY").format(part))
    if flags[1]:
        conn.execute(sql.SQL("ALTER TABLE {} FORCE ROW LEVEL SECURITY").format(part))
    return ["row level security" + (" forced" if flags[1] else ""), *done]


def _create_policy(part: sql.Composable, name: str, permissive: bool, cmd: str,
                   roles: list[str | None], using: str | None,
                   check: str | None) -> sql.Composed:  # fmt: skip
    """CREATE POLICY as the parent's reads; role names come quoted from regrole::text."""
    to = sql.SQL(", ").join(sql.SQL(r) if r else sql.SQL("PUBLIC") for r in roles)
    parts = [sql.SQL("CREATE POLICY {} ON {} AS {} FOR {} TO {}").format(
        sql.Identifier(name), part, sql.SQL("PERMISSIVE" if permissive else "RESTRICTIVE"),
        sql.SQL(_COMMANDS[cmd]), to)]  # fmt: skip
    if using is not None:
        parts.append(sql.SQL("USING ({})").format(sql.SQL(using)))
    if check is not None:
        parts.append(sql.SQL("WITH CHECK ({})").format(sql.SQL(check)))
    return sql.SQL(" ").join(parts)


def archive(conn: Conn, part: sql.Identifier, schema: str) -> None:
    """Move the detached `part` into `schema`, revoking every grant on it (and PUBLIC's use
    of the schema); in the caller's transaction."""
    target = sql.Identifier(schema)
    conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(target))
    conn.execute(sql.SQL("REVOKE ALL ON SCHEMA {} FROM PUBLIC").format(target))
    grantees = [r[0] for r in conn.execute(_GRANTEES_SQL, (_oid(conn, part),)).fetchall()]
    if grantees:
        names = sql.SQL(", ").join(sql.SQL(g) if g else sql.SQL("PUBLIC") for g in grantees)
        conn.execute(sql.SQL("REVOKE ALL ON TABLE {} FROM {}").format(part, names))
    conn.execute(sql.SQL("ALTER TABLE {} SET SCHEMA {}").format(part, target))
