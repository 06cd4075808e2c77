"""What the CI integration tests share: a copy of this source tree (what pre-commit clones and the
GitHub runner checks out), an environment without the developer's settings, and small projects
with and without a hazard."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

# Two clean migrations; each hazard below adds to them.
CLEAN = {
    "migrations/0001_users.sql": "CREATE TABLE users (id bigint PRIMARY KEY);\n",
    "migrations/0001_users.down.sql": "DROP TABLE users;\n",
    "migrations/0002_email.sql": "ALTER TABLE users ADD COLUMN email text;\n",
    "migrations/0002_email.down.sql": "ALTER TABLE users DROP COLUMN email;\n",
}
# adding-required-field (an error: it fails on a table that has rows). The files parse.
LINT_HAZARD = {
    "migrations/0003_name.sql": "ALTER TABLE users ADD COLUMN name text NOT NULL;\n",
    "migrations/0003_name.down.sql": "ALTER TABLE users DROP COLUMN name;\n",
}


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-c", "user.name=slipway tests", "-c", "user.email=tests@slipway.invalid",
         "-c", "commit.gpgsign=false", *args],
        cwd=cwd, env=clean_env(), capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
    return result.stdout


def copy_tree(dest: Path) -> Path:
    """This checkout as it is now (tracked and untracked files that git does not ignore, edits
    included) copied to `dest`; the real tree is never written to."""
    if not (ROOT / ".git").exists():
        pytest.skip(f"{ROOT} is not a git checkout: the copy is made from `git ls-files`")
    listing = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in sorted(set(filter(None, listing.split("\0")))):
        source, target = ROOT / name, dest / name
        if not os.path.lexists(source):  # deleted in the work tree, not yet committed
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():  # examples/rylie points into the package
            target.symlink_to(os.readlink(source))
        else:
            shutil.copy2(source, target)
    return dest


def committed_copy(dest: Path) -> Path:
    """`copy_tree` as a git repository with one commit, the way a clone of it looks."""
    copy_tree(dest)
    git(dest, "init", "-q")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "--no-verify", "-m", "snapshot of the tree under test")
    return dest


def write_project(dest: Path, files: dict[str, str]) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        (dest / name).write_text(text, encoding="utf-8")
    return dest


def clean_env(**extra: str) -> dict[str, str]:
    """os.environ without what would reach past the tool under test: a PYTHONPATH to this
    tree's sources, the active virtualenv, a database, git's hook variables."""
    drop = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "DATABASE_URL", "PRE_COMMIT")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in drop and not key.startswith(("PG", "GIT_", "SLIPWAY_"))
    }
    env.update(extra)
    return env
