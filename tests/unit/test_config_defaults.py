"""A project without a config file gets the schema's defaults without loading the schema."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from slipway.config import DEFAULT_DIRECTORY, Settings, default_config, load_settings


def test_settings_defaults_equal_the_schemas(tmp_path: Path) -> None:
    schema = default_config()
    plain = load_settings(project_dir=tmp_path)
    assert plain.file_config is None
    assert plain.migrations_dir == (tmp_path / schema.migrations.directory).resolve()
    assert DEFAULT_DIRECTORY == schema.migrations.directory
    fields = Settings.__dataclass_fields__
    assert fields["table"].default == schema.migrations.table
    assert fields["lock_timeout"].default == schema.migrations.lock_timeout
    assert fields["lock_retries"].default == schema.migrations.lock_retries
    assert fields["lock_wait"].default == schema.migrations.lock_wait
    assert fields["flush_each_migration"].default == schema.migrations.flush_each_migration
    assert fields["tenant_column"].default == schema.tenancy.column


def test_no_config_file_no_pydantic(tmp_path: Path) -> None:
    # pydantic and the schema cost ~0.1 s at start-up; lint and status must not pay it
    # when there is nothing to validate.
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "0001_a.sql").write_text("CREATE TABLE a (id int PRIMARY KEY);")
    code = (
        "import sys, runpy; sys.argv = ['slipway.lint', 'migrations'];"
        "import atexit; atexit.register(lambda: print('pydantic' in sys.modules));"
        "runpy.run_module('slipway.lint', run_name='__main__')"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert run.stdout.strip().splitlines()[-1] == "False", run.stdout + run.stderr
