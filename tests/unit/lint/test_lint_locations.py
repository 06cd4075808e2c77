"""Byte offsets -> file line:column, checked against a plain reference (multi-byte text, CRLF)."""

from __future__ import annotations

from pathlib import Path

import pytest

from slipway.lint.engine import lint
from slipway.lint.source import parse_script
from slipway.migrations.model import Migration, Script

LINES = [
    "-- ünïcødé header ☃",
    'CREATE TABLE "tæble" (id bigint PRIMARY KEY, x char(1));',
    "  /* 😀 */ CREATE TABLE t2 (note varchar(10), y int); -- slipway-ignore table-without-primary-key",
    "SELECT 'ö';  CREATE INDEX i ON \"tæble\" (x);",
    "-- squawk-ignore ban-char-field",
    "\tALTER TABLE t2 ADD COLUMN z char(2);",
]
SQL = "\r\n".join(LINES) + "\r\n"
OFFSET = 10  # the script starts on line 11 of its file


def reference(sql: str, byte: int, line_offset: int = 0) -> tuple[int, int]:
    """The obvious way: decode everything before `byte`, count lines and characters."""
    before = sql.encode("utf-8")[:byte].decode("utf-8")
    return before.count("\n") + 1 + line_offset, len(before) - (before.rfind("\n") + 1) + 1


def old_locate(data: bytes, byte: int, line_offset: int) -> tuple[int, int]:
    """What slipway did before line starts were precomputed (quadratic, but the contract)."""
    start = data.rfind(b"\n", 0, byte) + 1
    column = len(data[start:byte].decode("utf-8", "replace")) + 1
    return data.count(b"\n", 0, byte) + 1 + line_offset, column


def byte_of(text: str) -> int:
    return SQL.encode("utf-8").index(text.encode("utf-8"))


def test_statements_and_ignores_are_located_like_the_reference() -> None:
    parsed = parse_script(Script(Path("m/0001_x.sql"), SQL, line_offset=OFFSET))
    got = [(s.line, s.column) for s in parsed.statements]
    assert got == [reference(SQL, s.start, OFFSET) for s in parsed.statements]
    assert got == [(12, 1), (13, 11), (14, 1), (14, 14), (16, 2)]
    ignores = [(c.line, c.column, c.statement) for c in parsed.ignores]
    assert ignores == [(13, 54, 1), (15, 1, 4)]
    for comment, text in zip(parsed.ignores, ("-- slipway", "-- squawk"), strict=True):
        assert (comment.line, comment.column) == reference(SQL, byte_of(text), OFFSET)


@pytest.mark.parametrize(
    "sql", [SQL, SQL.encode("ascii", "replace").decode()], ids=["utf8", "ascii"]
)
def test_every_byte_offset_maps_as_before(sql: str) -> None:
    # Mid-character offsets, CR bytes, -1 (an unknown pglast location) and past the end too;
    # an ASCII text takes the short way (no decoding), with the same answers.
    parsed = parse_script(Script(Path("m/0001_x.sql"), sql, line_offset=OFFSET))
    data = sql.encode("utf-8")
    for byte in range(-len(data) - 3, len(data) + 3):
        assert parsed.locate(byte) == old_locate(data, byte, OFFSET), byte


def test_findings_keep_their_line_and_column() -> None:
    script = Script(Path("m/0001_x.sql"), SQL, line_offset=OFFSET)
    down = Script(Path("m/0001_x.down.sql"), "SELECT 1;")
    result = lint([Migration("0001", "x", "x", script, down)])
    found = {(f.name, f.line, f.column) for f in result.findings}
    # Column-level findings point at the column's name; ignored ones are gone.
    assert ("ban-char-field", *reference(SQL, byte_of("x char(1)"), OFFSET)) in found
    assert ("prefer-text-field", *reference(SQL, byte_of("note varchar"), OFFSET)) in found
    assert not any(name == "ban-char-field" and line == 16 for name, line, _ in found)
    assert not any(name == "table-without-primary-key" for name, _, _ in found)


def test_many_statements_with_comments_keep_their_places() -> None:
    # 20,000 statements, each with a trailing ignore (speed is measured in bench/, not here).
    sql = "".join(
        f"CREATE TABLE t_{i} (id bigint); -- slipway-ignore prefer-robust-stmts\n"
        for i in range(20_000)
    )
    parsed = parse_script(Script(Path("big.sql"), sql))
    assert [c.statement for c in parsed.ignores[-2:]] == [19_998, 19_999]
    assert parsed.statements[-1].line == 20_000


def test_psql_meta_commands_are_skipped_and_the_sql_around_them_keeps_its_lines() -> None:
    sql = (
        "\\set ON_ERROR_STOP on\n"
        'CREATE TABLE "tæble" (id bigint PRIMARY KEY, x char(1));\n'
        "\\connect app\n"
        '  ALTER TABLE "tæble" ADD COLUMN y char(1);\n'
    )
    script = Script(Path("migrations/0002_meta.sql"), sql, line_offset=OFFSET)
    earlier = Script(Path("migrations/0001_base.sql"), 'CREATE TABLE "tæble" (id bigint);')
    found = lint(
        [Migration("0001", "base", "paired", earlier), Migration("0002", "meta", "paired", script)]
    ).findings
    located = {(f.name, f.line, f.column) for f in found if f.file.endswith("0002_meta.sql")}
    assert ("psql-meta-command", OFFSET + 1, 1) in located
    assert ("psql-meta-command", OFFSET + 3, 1) in located
    # the statements are still linted, at their own lines and columns
    assert {(n, line) for n, line, _ in located if n == "ban-char-field"} == {
        ("ban-char-field", OFFSET + 2),
        ("ban-char-field", OFFSET + 4),
    }
    assert not any(n == "syntax-error" for n, _, _ in located)
