"""Lint a list of migrations: parse, replay in order, run the rules, apply suppressions."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, cast

from slipway.lint import replay
from slipway.lint.config import LintConfig
from slipway.lint.findings import Finding, LintResult
from slipway.lint.rule import (
    ALIASES,
    Hit,
    MigrationContext,
    Rule,
    SetContext,
    StatementContext,
    all_rules,
)
from slipway.lint.source import ParsedScript, parse_script
from slipway.lint.state import Origin, ReplayState
from slipway.migrations.model import Migration, Script
from slipway.report.finding import Location, Severity
from slipway.sql import Statement, nodes, run_mode

_BEGIN = {"TRANS_STMT_BEGIN", "TRANS_STMT_START"}
_END = {
    "TRANS_STMT_COMMIT",
    "TRANS_STMT_ROLLBACK",
    "TRANS_STMT_COMMIT_PREPARED",
    "TRANS_STMT_ROLLBACK_PREPARED",
    "TRANS_STMT_PREPARE",
}


@dataclass(repr=False, eq=False)
class _Run:
    config: LintConfig
    rules: list[tuple[Rule, str]]
    dispatch: dict[str, list[tuple[Rule, str]]] = field(default_factory=dict)
    migration_rules: list[tuple[Rule, str]] = field(default_factory=list)
    set_rules: list[tuple[Rule, str]] = field(default_factory=list)
    specials: dict[str, tuple[Rule, str] | None] = field(default_factory=dict)
    state: ReplayState = field(default_factory=ReplayState)
    scripts: list[ParsedScript] = field(default_factory=list)
    raw: list[tuple[Finding, int, int | None]] = field(default_factory=list)
    migrations: list[Migration] = field(default_factory=list)
    cache: dict[str, Any] = field(default_factory=dict)  # StatementContext.run_cache
    # (kind, refinements) -> the rules for a statement of that kind with those refinements
    refined: dict[tuple[str, frozenset[str]], list[tuple[Rule, str]]] = field(default_factory=dict)

    def statement_rules(self, stmt: Statement) -> list[tuple[Rule, str]] | None:
        """The rules a statement is checked by: those of its kind, and for ALTER TABLE and
        DROP those of the commands or object kind it has (REFINED_KINDS)."""
        refine = REFINED_KINDS.get(stmt.kind)
        if refine is None:
            return self.dispatch.get(stmt.kind)
        key = (stmt.kind, refine(stmt.node))
        found = self.refined.get(key)
        if found is None:
            wanted = {stmt.kind} | {f"{stmt.kind}:{part}" for part in key[1]}
            found = [(r, s) for r, s in self.rules if wanted.intersection(r.kinds)]
            self.refined[key] = found
        return found

    def emit(self, rule: Rule, severity: str, hit: Hit, at: Origin) -> None:
        at = hit.at or at
        if hit.offset is not None and 0 <= at.script < len(self.scripts):
            line, column = self.scripts[at.script].locate(hit.offset)
            at = Origin(at.migration, at.path, line, column, at.statement, at.script)
        finding = Finding(
            rule.code,
            rule.name,
            cast(Severity, severity),  # LintConfig accepts only SEVERITIES
            hit.message,
            target=_target(hit.table),
            hint=hit.help if hit.help is not None else rule.help,
            location=Location(at.path, at.line, at.column),
        )
        self.raw.append((finding, at.script, at.statement if at.statement >= 0 else None))

    def special(self, name: str) -> tuple[Rule, str] | None:
        """An active rule the engine reports itself (syntax-error, unknown-ignore)."""
        if name not in self.specials:
            self.specials[name] = next(((r, s) for r, s in self.rules if r.name == name), None)
        return self.specials[name]


def _alter_subtypes(node: dict[str, Any]) -> frozenset[str]:
    return frozenset(str(c.get("subtype")) for c in nodes.alter_cmds(node))


def _drop_kind(node: dict[str, Any]) -> frozenset[str]:
    return frozenset((str(node.get("removeType")),))


#: Statement kinds a rule may name with a refinement ("AlterTableStmt:AT_DropColumn"), and how
#: a statement's refinements are read: its ALTER TABLE commands, its DROP's object kind.
REFINED_KINDS = {"AlterTableStmt": _alter_subtypes, "DropStmt": _drop_kind}


def _target(table: str | None) -> str:
    """A replayed table's key as a finding's target: `public.leads`, `audit.events`."""
    if not table:
        return ""
    return table if "." in table else f"public.{table}"


def lint(
    migrations: list[Migration],
    config: LintConfig | None = None,
    focus: set[str] | None = None,
) -> LintResult:
    """Lint `migrations` (in the order given: version order) and return the findings.

    With `focus` (absolute script paths), every migration is replayed but findings are kept
    only for those scripts: earlier history informs the rules without being re-reported.
    """
    with _cyclic_gc_paused():
        return _lint(migrations, config or LintConfig(), focus)


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """The parse trees are millions of small acyclic dicts; the cyclic collector's full passes
    over them took half the time of a 40,000-statement file. Refcounting still frees them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _lint(migrations: list[Migration], config: LintConfig, focus: set[str] | None) -> LintResult:
    run = _Run(config, [(cls(), sev) for cls, sev in config.active()], migrations=migrations)
    for rule, sev in run.rules:
        for kind in rule.kinds:  # refined kinds are read by statement_rules
            run.dispatch.setdefault(kind, []).append((rule, sev))
        # Only rules that override a hook are called for it (41 rules x 570 scripts adds up).
        if type(rule).check_migration is not Rule.check_migration:
            run.migration_rules.append((rule, sev))
        if type(rule).check_set is not Rule.check_set:
            run.set_rules.append((rule, sev))
    ups: list[ParsedScript] = []
    for position, migration in enumerate(migrations):
        # History outside the focus is only replayed: no down/verify parsing, no rules.
        shown = focus is None or os.path.abspath(migration.up.path) in focus
        up = _parse(run, migration.up, position)
        down = _parse(run, migration.down, position) if migration.down and shown else None
        if migration.verify and shown:
            _parse(run, migration.verify, position)
        ups.append(up)
        _lint_statements(run, migration, position, up, migration.up, run.state, shown)
        if down is not None and migration.down is not None and up.error is None:
            # The down runs on what its up left (unknown when the up does not parse); its
            # replay, on a fork, must not reach the next up.
            fork = run.state.fork()
            _lint_statements(run, migration, position, down, migration.down, fork, True, up)
        mctx = MigrationContext(migration, position, up, down, config.options)
        for rule, sev in run.migration_rules if shown else ():
            for hit in rule.check_migration(mctx):
                run.emit(rule, sev, hit, up.origin(position))
    sctx = SetContext(run.state, migrations, ups, config.options)
    for rule, sev in run.set_rules:
        for hit in rule.check_set(sctx):
            run.emit(rule, sev, hit, hit.at or Origin(0, "", 1, 1, -1, 0))
    return _finish(run, len(migrations), focus)


def _parse(run: _Run, script: Script, position: int) -> ParsedScript:
    parsed = parse_script(script)
    parsed.sid = len(run.scripts)
    run.scripts.append(parsed)
    special = run.special("syntax-error")
    if parsed.error is not None and special:
        hit = Hit(parsed.error.message)
        run.emit(*special, hit, parsed.origin(position, parsed.error_line, parsed.error_column))
    meta = run.special("psql-meta-command") if parsed.meta_commands else None
    for line, column, command in parsed.meta_commands:
        if meta is not None:
            text = f"psql meta-command {command.split()[0]} skipped: the SQL around it is linted"
            run.emit(*meta, Hit(text), parsed.origin(position, line, column))
    return parsed


def runs_outside_transaction(script: Script, statements: list[Statement]) -> bool:
    """Whether slipway's engine runs the script statement by statement (no transaction)."""
    return run_mode(script.transactional, [(s.kind, s.node) for s in statements]) == "statements"


def _lint_statements(
    run: _Run,
    migration: Migration,
    position: int,
    parsed: ParsedScript,
    script: Script,
    state: ReplayState,
    check: bool,
    up: ParsedScript | None = None,
) -> None:
    """Run the statement rules (when `check`) and replay each statement into `state`.

    `up` is given for a down script (`parsed`): the migration's up, which ran before it."""
    non_txn = runs_outside_transaction(script, parsed.statements)
    in_block = False
    options = run.config.options
    for stmt in parsed.statements:
        origin = parsed.statement_origin(position, stmt)
        rules = run.statement_rules(stmt) if check else None
        if rules:
            ctx = StatementContext(
                stmt,
                state,
                migration,
                position,
                parsed,
                in_block,
                non_txn,
                options,
                up,
                run.migrations,
                run_cache=run.cache,
            )
            for rule, sev in rules:
                for hit in rule.check(ctx):
                    run.emit(rule, sev, hit, origin)
        if stmt.kind == "TransactionStmt":
            kind = stmt.node.get("kind")
            in_block = True if kind in _BEGIN else False if kind in _END else in_block
        replay.apply(state, stmt.kind, stmt.node, origin)


def _resolve_ignores(run: _Run) -> None:
    """Fill each script's ignore sets; report ignores that name no known rule."""
    rules = all_rules()
    known: dict[str, tuple[str, ...]] = {r.name: (r.name,) for r in rules}
    known |= {r.code.lower(): (r.name,) for r in rules}
    known |= ALIASES
    unknown = run.special("unknown-ignore")
    for parsed in run.scripts:
        for comment in parsed.ignores:
            names: set[str] = set()
            if not comment.names and not comment.squawk and unknown is not None:
                hit = Hit("slipway-ignore names no rule: it suppresses nothing")
                run.emit(*unknown, hit, parsed.origin(-1, comment.line, comment.column))
            for raw_name in comment.names:
                found = known.get(raw_name.lower())
                if found:
                    names.update(found)
                elif not comment.squawk and unknown is not None:
                    hit = Hit(f"slipway-ignore names unknown rule {raw_name!r}")
                    run.emit(*unknown, hit, parsed.origin(-1, comment.line, comment.column))
            if comment.per_file:
                parsed.file_ignores |= names
            elif comment.statement is not None:
                parsed.statement_ignores.setdefault(comment.statement, set()).update(names)


def _finish(run: _Run, migrations: int, focus: set[str] | None) -> LintResult:
    _resolve_ignores(run)
    shown = [focus is None or os.path.abspath(s.script.path) in focus for s in run.scripts]
    files = len({s.path for s, show in zip(run.scripts, shown, strict=True) if show})
    result = LintResult(files=files, migrations=migrations, state=run.state)
    for finding, sid, statement in run.raw:
        parsed = run.scripts[sid] if 0 <= sid < len(run.scripts) else None
        if parsed is not None and not shown[sid]:
            continue
        if parsed is not None and _suppressed(parsed, finding.name, statement):
            result.suppressed += 1
        else:
            result.findings.append(finding)
    order = {s.path: i for i, s in enumerate(run.scripts)}
    result.findings.sort(key=lambda f: (order.get(f.file, 0), f.line, f.column, f.code))
    return result


def _suppressed(parsed: ParsedScript, rule: str, statement: int | None) -> bool:
    if rule in parsed.file_ignores:
        return True
    return statement is not None and rule in parsed.statement_ignores.get(statement, ())
