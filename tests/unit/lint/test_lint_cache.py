"""The lint result cache: hits for unchanged inputs, misses after any change."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from slipway.config import load_settings
from slipway.lint import engine
from slipway.lint.run import run


def _lint(capsys: pytest.CaptureFixture[str], **kw: bool) -> tuple[int, str]:
    code = run([Path("migrations")], "json", "error", load_settings(), **kw)
    return code, capsys.readouterr().out


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "0001_a.sql").write_text("DROP DATABASE x;\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _forbid_lint(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("linted although the result was cached")

    monkeypatch.setattr(engine, "lint", boom)


def test_unchanged_folder_is_a_cache_hit(
    project: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    _private_lint_cache: Path,
) -> None:
    first = _lint(capsys)
    assert first[0] == 1 and "ban-drop-database" in first[1]
    assert len(list(_private_lint_cache.glob("lint-*.json"))) == 1
    _forbid_lint(monkeypatch)
    assert _lint(capsys) == first
    with pytest.raises(AssertionError, match="linted although"):
        _lint(capsys, use_cache=False)


def test_an_edited_file_or_config_is_a_miss(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _lint(capsys)[0] == 1
    path = project / "migrations" / "0001_a.sql"
    path.write_text("SELECT 1;\n")
    os.utime(path, ns=(1, 1))  # even with an old timestamp, the size changed
    code, out = _lint(capsys)
    assert code == 0 and "ban-drop-database" not in out
    (project / "slipway.toml").write_text('[lint]\ndisable = ["migration-without-rollback"]\n')
    assert "migration-without-rollback" not in _lint(capsys)[1]


def test_a_broken_cache_entry_is_ignored(
    project: Path, capsys: pytest.CaptureFixture[str], _private_lint_cache: Path
) -> None:
    first = _lint(capsys)
    for entry in _private_lint_cache.glob("lint-*.json"):
        entry.write_text("{not json")
    assert _lint(capsys) == first


def test_the_code_that_decides_findings_is_part_of_the_key(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from slipway.lint import cache

    seen: list[str] = []
    real = cache._stat_tree

    def record(hasher: object, folder: str, depth: int = 1) -> None:
        seen.append(folder)
        real(hasher, folder, depth)  # type: ignore[arg-type]

    monkeypatch.setattr(cache, "_stat_tree", record)
    cache.fingerprint([Path("migrations")], {})
    package = Path(cache.__file__).parent.parent
    for part in ("lint", "lint/rules", "migrations", "sql"):  # sql: parsing, PL/pgSQL bodies
        assert str(package / part) in seen, part
