"""`slipway init` and `slipway new`: files for a new project or migration, in the folder's own
layout and version scheme."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from slipway.errors import ConfigError
from slipway.migrations.model import SECTION_MARKERS, MigrationSet

__all__ = ["CONFIG_TEMPLATE", "init_project", "new_migration", "next_version", "slugify"]


CONFIG_TEMPLATE = """\
# slipway configuration. Every setting here has a command-line or environment override.

[database]
# url = "postgresql://user@localhost:5432/app"   # or set DATABASE_URL; ${VAR} is expanded.
# Without a url, slipway runs an embedded PostgreSQL with its data in .slipway/.

[migrations]
directory = "migrations"
table = "slipway_migrations"     # slipway's history table (its run log is <table>_log)
lock_timeout = "5s"              # the longest any DDL statement waits for a lock ...
lock_retries = 5                 # ... before it is retried with backoff this many times
lock_wait = "60s"                # how long a second run waits for the first to finish
flush_each_migration = false     # true: every commit waits for the disk, not only the run's last

[tenancy]
column = "dealership_id"         # the tenant key column of multi-tenant tables
"""


def init_project(project_dir: Path, migrations_dir: Path) -> list[Path]:
    """Create the migrations folder and slipway.toml when missing; return what was created."""
    created = []
    if not migrations_dir.exists():
        migrations_dir.mkdir(parents=True)
        created.append(migrations_dir)
    config = project_dir / "slipway.toml"
    if not config.exists() and not _has_pyproject_config(project_dir):
        config.write_text(CONFIG_TEMPLATE, encoding="utf-8")
        created.append(config)
    return created


def _has_pyproject_config(project_dir: Path) -> bool:
    pyproject = project_dir / "pyproject.toml"
    return pyproject.is_file() and "[tool.slipway]" in pyproject.read_text(encoding="utf-8")


def slugify(description: str) -> str:
    """The description as a file-name part: `add users table` -> `add_users_table`."""
    slug = re.sub(r"[^a-z0-9]+", "_", description.lower()).strip("_")
    if not slug:
        raise ConfigError("the description must contain letters or digits, e.g. 'add users table'")
    return slug[:60].rstrip("_")


_DIESEL = re.compile(r"(?P<stamp>\d{4}-\d\d-\d\d-\d{6})(?:-(?P<seq>\d{4}))?")


def next_version(mset: MigrationSet, now: datetime | None = None) -> str:
    """The next version in the scheme the folder already uses (0001 for an empty folder),
    always after every version present in the folder's own order (even one dated in the
    future), so it never collides, even when two are made in the same second."""
    if not mset.migrations:
        return "0001"
    newest = mset.migrations[-1].version
    candidate = _in_scheme(newest, mset.order, now or datetime.now(UTC))
    if mset.key(candidate) > mset.key(newest):
        return candidate
    return _after(newest, mset)


def _in_scheme(newest: str, layout: str, now: datetime) -> str:
    """Now, written the way `newest` is; a counter's next value."""
    digits = newest.replace("-", "")
    if layout == "diesel" or "-" in newest:  # diesel CLI: 2025-11-19-091444-0000
        return now.strftime("%Y-%m-%d-%H%M%S") + "-0000"
    if layout == "dbmate" or len(digits) == 14:  # dbmate / golang-migrate timestamps
        return now.strftime("%Y%m%d%H%M%S")
    if len(digits) == 20 and digits.startswith(("19", "20")):  # ory popx: stamp + 6-digit step
        return now.strftime("%Y%m%d%H%M%S") + "000000"
    if len(digits) == 8 and digits.startswith(("19", "20")):  # a date per migration
        return now.strftime("%Y%m%d")
    if layout == "golang-migrate" and len(digits) == 10 and digits.startswith("1"):
        return str(int(now.timestamp()))  # golang-migrate's `-format unix`
    return _bump(newest)  # a counter (Flyway 1.2.9 -> 1.2.10), zero-padded to its width


def _bump(version: str) -> str:
    """`version` with its last number incremented, keeping separators and width."""
    last = re.search(r"\d+$", version)
    if last is None:  # no trailing number: start one
        return f"{version}1"
    return version[: last.start()] + str(int(last.group()) + 1).zfill(len(last.group()))


def _after(newest: str, mset: MigrationSet) -> str:
    """A version just after `newest` (which is in the future or was made this second)."""
    diesel = _DIESEL.fullmatch(newest)
    if diesel:  # 2025-11-19-091444 -> -0000; -0000 -> -0001 (string order: a longer is later)
        seq = diesel.group("seq")
        if seq is None:
            return f"{newest}-0000"
        if seq != "9999":
            return _bump(newest)
    bumped = _bump(newest)
    if mset.key(bumped) > mset.key(newest):
        return bumped
    return newest + "0"  # string order, 999 -> 1000 would sort first: extend instead


def _database_tag(mset: MigrationSet) -> str:
    """`.postgres` when most of the folder's migrations are tagged for PostgreSQL (pop, ory
    popx: an untagged file would run on every database the project supports), else ""."""
    tagged = sum(1 for m in mset.migrations if ".postgres." in m.up.path.name.lower())
    return ".postgres" if tagged * 2 > len(mset.migrations) else ""


def new_migration(mset: MigrationSet, description: str) -> list[Path]:
    """Write the up, down and verify stubs of a new migration; return their paths."""
    version = next_version(mset)
    slug = slugify(description)
    folder = mset.directory
    header = f"-- {description}\n"
    up = header + "\n"
    down = f"-- Roll back: {description}\n\n"
    verify = (
        f"-- Verify: {description}\n-- A verify script fails by raising an error, e.g.:\n"
        "-- DO $$ BEGIN IF to_regclass('public.my_table') IS NULL THEN\n"
        "--   RAISE EXCEPTION 'my_table missing'; END IF; END $$;\n"
    )
    layout = mset.order if mset.migrations else "paired"
    if layout == "graphile-migrate":  # it hashes each committed file into the next one
        raise ConfigError(
            f"{mset.directory} holds graphile-migrate's committed migrations: write "
            "migrations/current.sql and run `graphile-migrate commit` (slipway reads what it "
            "commits)"
        )
    if layout == "sqitch":  # the plan orders changes, and Sqitch writes its entries
        raise ConfigError(
            f"{mset.directory} is a Sqitch project: add the change with "
            f"`sqitch add {slug} -n '{description}'` (slipway reads sqitch.plan)"
        )
    files: dict[Path, str]
    if layout in SECTION_MARKERS:  # one file, its two sections marked as its tool marks them
        up_marker, down_marker = SECTION_MARKERS[layout]
        head = f"{up_marker}\n" if up_marker else ""
        files = {folder / f"{version}_{slug}.sql": f"{head}{up}\n{down_marker}\n{down}"}
    elif layout == "diesel":
        target = folder / f"{version}_{slug}"
        files = {target / "up.sql": up, target / "down.sql": down, target / "verify.sql": verify}
    elif layout == "prisma":  # Prisma reads migration.sql only; slipway reads down.sql too
        target = folder / f"{version}_{slug}"
        files = {target / "migration.sql": up, target / "down.sql": down}
    elif layout == "flyway":
        files = {folder / f"V{version}__{slug}.sql": up, folder / f"U{version}__{slug}.sql": down}
    elif layout == "golang-migrate":
        tag = _database_tag(mset)
        files = {
            folder / f"{version}_{slug}{tag}.up.sql": up,
            folder / f"{version}_{slug}{tag}.down.sql": down,
        }
    else:
        files = {
            folder / f"{version}_{slug}.sql": up,
            folder / f"{version}_{slug}.down.sql": down,
            folder / f"{version}_{slug}.verify.sql": verify,
        }
    for path, text in files.items():
        if path.exists():
            raise ConfigError(f"{path} already exists; choose another description")
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return list(files)
