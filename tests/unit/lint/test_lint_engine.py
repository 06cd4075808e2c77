"""Replay, locations and suppressions, through the public `lint()` entry point."""

from __future__ import annotations

import gc
from pathlib import Path

from lint_support import migration, migrations

from slipway.lint.config import LintConfig
from slipway.lint.engine import lint, runs_outside_transaction
from slipway.lint.source import parse_script
from slipway.migrations.model import Migration, Script


def rules_of(ms: list[Migration], config: LintConfig | None = None) -> list[tuple[str, int]]:
    return [(f.name, f.line) for f in lint(ms, config).findings]


# -- replay --------------------------------------------------------------------------------


def test_no_lock_warning_for_table_created_earlier_in_same_migration() -> None:
    ms = migrations(
        "CREATE TABLE leads (id bigint PRIMARY KEY, s text);\nCREATE INDEX leads_s ON leads (s);"
    )
    assert "require-concurrent-index-creation" not in {r for r, _ in rules_of(ms)}


def test_index_on_table_from_earlier_migration_is_flagged() -> None:
    ms = migrations(
        "CREATE TABLE leads (id bigint PRIMARY KEY, s text);",
        "SELECT 1;\nCREATE INDEX leads_s ON leads (s);",
    )
    found = [f for f in lint(ms).findings if f.name == "require-concurrent-index-creation"]
    assert [(f.file, f.line) for f in found] == [("migrations/0002_case.sql", 2)]


def test_renamed_table_keeps_its_history() -> None:
    ms = migrations(
        "CREATE TABLE a (id bigint PRIMARY KEY);\nALTER TABLE a RENAME TO b;",
        "CREATE INDEX b_id ON b (id);",
    )
    found = {r for r, _ in rules_of(ms)}
    assert "require-concurrent-index-creation" in found  # b existed before migration 2
    assert "renaming-table" not in found  # a was created in the same migration


def test_dropped_and_recreated_table_is_new_again() -> None:
    ms = migrations(
        "CREATE TABLE a (id bigint PRIMARY KEY);",
        "DROP TABLE a; -- slipway-ignore ban-drop-table\n"
        "CREATE TABLE a (id bigint PRIMARY KEY, s text);\nCREATE INDEX a_s ON a (s);",
    )
    assert "require-concurrent-index-creation" not in {r for r, _ in rules_of(ms)}


def test_set_checks_report_at_the_creating_statement() -> None:
    ms = migrations("SELECT 1;\n\nCREATE TABLE t (x int);")
    assert ("table-without-primary-key", 3) in rules_of(ms)


# -- locations -----------------------------------------------------------------------------


def test_line_offset_and_multibyte_columns() -> None:
    sql = "SELECT 'ünïcødé';\n  CREATE TABLE t (id bigint PRIMARY KEY, x char(1));"
    script = Script(Path("m/0001_x.sql"), sql, line_offset=10)
    result = lint([Migration("0001", "x", "x", script, Script(Path("d.sql"), "SELECT 1;"))])
    char = next(f for f in result.findings if f.name == "ban-char-field")
    assert (char.line, char.column) == (12, 42)


def test_statement_start_skips_comments_and_blank_lines() -> None:
    parsed = parse_script(
        Script(Path("x.sql"), "SELECT 1;\n\n/* a /* nested */ b */\n-- c\n  DROP TABLE t;")
    )
    assert [(s.line, s.column) for s in parsed.statements] == [(1, 1), (5, 3)]


def test_syntax_error_in_down_script_is_reported_on_the_down_file() -> None:
    m = migration("0001", "SELECT 1;", "DROP TABLE;")
    found = [f for f in lint([m]).findings if f.name == "syntax-error"]
    assert [(f.file, f.line) for f in found] == [("migrations/0001_case.down.sql", 1)]


def test_transaction_mode_matches_the_engine() -> None:
    def mode(sql: str, forced: bool | None = None) -> bool:
        script = Script(Path("x.sql"), sql, transactional=forced)
        return runs_outside_transaction(script, parse_script(script).statements)

    assert mode("CREATE INDEX CONCURRENTLY i ON t (x);")
    assert not mode("BEGIN; CREATE TABLE t (id int); COMMIT;")
    assert mode("BEGIN; SELECT 1; COMMIT; BEGIN; SELECT 2; COMMIT;")
    assert mode("SELECT 1;", forced=False)
    assert not mode("CREATE INDEX CONCURRENTLY i ON t (x);", forced=True)


# -- suppression ---------------------------------------------------------------------------

INDEX = "CREATE INDEX i ON leads (s);"


def lint_one(sql: str) -> list[str]:
    return [f.name for f in lint([migration("0001", sql)]).findings]


def test_ignore_on_line_before() -> None:
    assert "require-concurrent-index-creation" in lint_one(INDEX)
    assert "require-concurrent-index-creation" not in lint_one(
        f"-- slipway-ignore require-concurrent-index-creation\n{INDEX}"
    )


def test_ignore_on_same_line_trailing_and_by_code() -> None:
    assert "require-concurrent-index-creation" not in lint_one(f"{INDEX} -- slipway-ignore SW024")


def test_ignore_in_a_block_comment() -> None:
    rule = "require-concurrent-index-creation"
    assert rule not in lint_one(f"/* slipway-ignore {rule}: built before launch */\n{INDEX}")
    assert rule not in lint_one(f"{INDEX} /* squawk-ignore {rule} */")
    # The rule names end at `*/`: what follows the comment is not a rule name.
    result = lint([migration("0001", f"/* slipway-ignore {rule} */ {INDEX}\n{INDEX}")])
    assert [f.name for f in result.findings].count(rule) == 1 and result.suppressed == 1


def test_ignore_applies_to_one_statement_only() -> None:
    sql = f"-- slipway-ignore require-concurrent-index-creation\n{INDEX}\n{INDEX}"
    result = lint([migration("0001", sql)])
    lines = [f.line for f in result.findings if f.name == "require-concurrent-index-creation"]
    assert lines == [3] and result.suppressed == 1


def test_trailing_ignore_does_not_leak_to_next_statement() -> None:
    sql = f"SELECT 1; -- slipway-ignore require-concurrent-index-creation\n{INDEX}"
    assert "require-concurrent-index-creation" in lint_one(sql)


def test_ignore_list_and_file_level() -> None:
    sql = (
        "-- slipway-ignore-file prefer-text-field\n"
        "CREATE TABLE t (id bigint PRIMARY KEY, a varchar(9), b timestamp);\n"
        f"-- slipway-ignore prefer-timestamptz, require-concurrent-index-creation\n{INDEX}\n"
        "CREATE TABLE u (id bigint PRIMARY KEY, c varchar(9));"
    )
    rules = lint_one(sql)
    assert "prefer-text-field" not in rules
    assert "prefer-timestamptz" in rules  # the per-statement ignore was on another statement
    assert "require-concurrent-index-creation" not in rules


def test_squawk_comments_are_honoured() -> None:
    assert "require-concurrent-index-creation" not in lint_one(
        f"-- squawk-ignore require-concurrent-index-creation\n{INDEX}"
    )
    assert "prefer-text-field" not in lint_one(
        "-- squawk-ignore-file prefer-text-field\n"
        "CREATE TABLE t (id bigint PRIMARY KEY, a varchar(9));"
    )


def test_unknown_rule_in_ignore_is_reported_where_written() -> None:
    result = lint([migration("0001", f"SELECT 1;\n{INDEX} -- slipway-ignore no-such-rule")])
    bad = [f for f in result.findings if f.name == "unknown-ignore"]
    assert [(f.line, f.column) for f in bad] == [(2, 30)] and "no-such-rule" in bad[0].message


def test_set_level_finding_is_suppressed_at_the_creating_statement() -> None:
    sql = "-- slipway-ignore table-without-primary-key\nCREATE TABLE log (x text);"
    assert "table-without-primary-key" not in lint_one(sql)


# -- configuration -------------------------------------------------------------------------


def test_config_disable_and_severity() -> None:
    config = LintConfig.from_mapping(
        {"disable": ["SW024"], "severity": {"prefer-text-field": "error"}}
    )
    result = lint(
        [migration("0001", f"{INDEX}\nCREATE TABLE t (id bigint PRIMARY KEY, a varchar(9));")],
        config,
    )
    assert "require-concurrent-index-creation" not in {f.name for f in result.findings}
    assert {f.severity for f in result.findings if f.name == "prefer-text-field"} == {"error"}
    assert result.fails("error")


def test_config_rejects_unknown_rules_and_levels() -> None:
    import pytest

    from slipway.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown lint rule 'nope'"):
        LintConfig.from_mapping({"disable": ["nope"]})
    with pytest.raises(
        ConfigError, match="expected one of 'error', 'warning' or 'info', got 'fatal'"
    ):
        LintConfig.from_mapping({"severity": {"ban-drop-table": "fatal"}})
    with pytest.raises(ConfigError, match=r"\[lint\] enable: expected a list, got 3"):
        LintConfig.from_mapping({"enable": 3})


def test_fail_on_thresholds() -> None:
    warn_only = lint([migration("0001", INDEX)])
    assert {f.severity for f in warn_only.findings} == {"warning"}
    assert not warn_only.fails("error") and warn_only.fails("warning")


def test_rylie_reference_migrations_lint_cleanly_enough() -> None:
    """The shipped example parses everywhere, and its tenant tables all have RLS."""
    import pytest

    from slipway.lint.sources import collect

    folder = Path(__file__).parents[3] / "src" / "slipway" / "examples" / "rylie" / "migrations"
    if not folder.is_dir():
        pytest.skip("examples/rylie not there yet")
    result = lint(collect([folder]))
    assert result.migrations >= 10
    rules = {f.name for f in result.findings}
    assert not rules & {"syntax-error", "tenant-table-without-rls", "duplicate-version"}


def test_ignore_comment_may_carry_a_reason() -> None:
    for comment in (
        "-- slipway-ignore require-concurrent-index-creation -- table is tiny",
        "-- slipway-ignore: require-concurrent-index-creation: table is tiny",
    ):
        rules = lint_one(f"{comment}\n{INDEX}")
        assert "require-concurrent-index-creation" not in rules
        assert "unknown-ignore" not in rules


# -- speed ---------------------------------------------------------------------------------


def test_lint_pauses_the_cyclic_collector_and_restores_it() -> None:
    # Its full passes over the parse trees were half the time of a big file.
    sql = "".join(f"CREATE TABLE t_{i} (id bigint PRIMARY KEY);\n" for i in range(3_000))
    todo = migrations(sql)
    passes: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            passes.append(info["generation"])

    gc.callbacks.append(count)
    try:
        result = lint(todo)
    finally:
        gc.callbacks.remove(count)
    assert len(result.findings) >= 3_000
    assert len(passes) <= 1 and gc.isenabled()  # one young pass as it is switched back on


def test_refined_rule_kinds_name_real_commands_and_object_kinds() -> None:
    """A rule called only for one ALTER TABLE command or one DROP's object kind must name one
    PostgreSQL has: a misspelt refinement would silently never run the rule."""
    from pglast.enums.parsenodes import AlterTableType, ObjectType

    from slipway.lint.engine import REFINED_KINDS
    from slipway.lint.rule import all_rules

    known = {
        "AlterTableStmt": set(AlterTableType.__members__),
        "DropStmt": set(ObjectType.__members__),
    }
    refined = [(r.name, k) for r in all_rules() for k in r.kinds if ":" in k]
    assert len(refined) > 20
    for name, kind in refined:
        base, _, part = kind.partition(":")
        assert base in REFINED_KINDS and part in known[base], (name, kind)


def test_an_alter_table_runs_the_rules_of_each_of_its_commands_once() -> None:
    """ALTER TABLE ... ADD COLUMN, DROP COLUMN: both commands' rules report, each once; a
    refined rule is not run for a command it does not name."""
    result = lint(
        migrations(
            "CREATE TABLE t (id bigint PRIMARY KEY, old int);",
            "ALTER TABLE t ADD COLUMN c char(3) NOT NULL, DROP COLUMN old;\n"
            "ALTER TABLE t ADD CONSTRAINT t_c_check CHECK (c <> '');",
        )
    )
    names = [f.name for f in result.findings if "0002_" in f.file]
    for rule in ("ban-char-field", "adding-required-field", "ban-drop-column"):
        assert names.count(rule) == 1, (rule, names)
    assert names.count("constraint-missing-not-valid") == 1
