"""Per-file options written as comments in a migration: slipway's own and other tools'.

`-- slipway: no-transaction`, `-- slipway: lock-timeout 10s`; Atlas's `-- atlas:txmode none`;
graphile-migrate's `--! no-transaction`;
a section's no-transaction marker (dbmate's `transaction:false`, goose's `NO TRANSACTION`,
sql-migrate's `notransaction`) comes in as the section's `header`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from slipway.config import parse_duration
from slipway.errors import MigrationLayoutError
from slipway.migrations.model import Script

__all__ = ["NO_TRANSACTION", "apply_directives"]

#: The header a section splitter passes for a section its tool runs outside a transaction.
NO_TRANSACTION = "transaction:false"

_DIRECTIVE = re.compile(r"^\s*--\s*slipway:\s*(?P<body>.+?)\s*$", re.MULTILINE | re.IGNORECASE)
_ATLAS_NO_TRANSACTION = re.compile(r"^\s*--\s*atlas:txmode\s+none\s*$", re.MULTILINE)
_GRAPHILE_NO_TRANSACTION = re.compile(r"^--!\s*no-transaction\s*$", re.MULTILINE | re.IGNORECASE)
_HEADER_NO_TRANSACTION = re.compile(r"transaction\s*:\s*false")


def apply_directives(script: Script, header: str = "") -> Script:
    """Per-file options written as comments: `-- slipway: no-transaction`,
    `-- slipway: lock-timeout 10s`, Atlas's `-- atlas:txmode none` (a section's own
    no-transaction marker comes in via `header`)."""
    lowered = script.sql.lower()
    if (
        "slipway:" not in lowered
        and "atlas:" not in lowered
        and "--!" not in lowered
        and "transaction" not in header
    ):
        return script  # the common case: no directive
    transactional = script.transactional
    lock_timeout = script.lock_timeout
    sql = script.sql
    if _HEADER_NO_TRANSACTION.search(header) or _ATLAS_NO_TRANSACTION.search(sql):
        transactional = False
    if _GRAPHILE_NO_TRANSACTION.search(sql):  # graphile-migrate's `--! no-transaction`
        transactional = False
    for match in _DIRECTIVE.finditer(script.sql):
        body = match.group("body").lower().replace("_", "-")
        if body in ("no-transaction", "notransaction", "transaction=false", "transaction: false"):
            transactional = False
        elif body.startswith("lock-timeout"):
            value = body.removeprefix("lock-timeout").strip(" =:")
            lock_timeout = parse_duration(value, f"{script.path}: lock-timeout")
        else:
            raise MigrationLayoutError(
                f"{script.path}: unknown directive '-- slipway: {match.group('body')}' "
                "(known: no-transaction, lock-timeout <duration>)"
            )
    return replace(script, transactional=transactional, lock_timeout=lock_timeout)
