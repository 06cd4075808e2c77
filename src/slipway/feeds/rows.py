"""Turn feed rows into lines of PostgreSQL COPY text for the staging table, checking each.

Hot: a million rows pass through `RowConverter.convert`. The file's fields go to the staging
table as they are (one raw text column per file column, joined by one C-level `join`); the
staging table's generated columns do the typing (casts, JSON arrays, the extra object) on the
server, while Python only runs the checks that guarantee those conversions cannot fail.
Bad values never raise out of here: they become RowError records and the row is left out.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from slipway.feeds.checks import Check, DbType, RowError, _Bad, compile_check, json_text, shown
from slipway.feeds.header import HeaderPlan
from slipway.feeds.limits import Refused

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def width_reason(fields: int, width: int) -> str:
    return f"row has {fields} fields, the header has {width}"


@dataclass(frozen=True)
class StagedColumn:
    """A typed staging column computed from raw file columns (see sql.create_stage)."""

    name: str
    kind: str  # a mapping kind, or "extra" for the unknown-columns object
    sources: tuple[int, ...]
    separator: str = ","
    headers: tuple[str, ...] = ()  # extra: the JSON keys, one per source


class RowConverter:
    """Feed rows in, COPY lines out; errors and duplicate identities collected on the side.

    A staged line is `_key` (which of the mapping's identity keys matched, 1-based: the
    merge's numbering, even when the file lacks the first key's column), `_ok` (false for a bad
    row staged only so a full feed does not deactivate it), then every file field.
    """

    def __init__(
        self,
        plan: HeaderPlan,
        db_types: dict[str, DbType],
        extra_column: str | None = None,
        this_year: int | None = None,
        keep_seen: bool = False,
    ) -> None:
        year = this_year or datetime.date.today().year
        self.width = plan.width
        self.keep_seen = keep_seen  # full feed: stage bad rows' identities so they stay active
        self.errors: list[RowError] = []
        self.bad_rows = self.good_rows = 0
        self._seen: list[dict[str, int]] = [{} for _ in plan.identity]  # per key: value -> line
        checks: dict[int, tuple[Check, str]] = {}
        for b in plan.bound:
            check = compile_check(b.spec, db_types.get(b.spec.name), year)
            for pos in b.sources if check else ():
                checks.setdefault(pos, (check, plan.cells[pos]))  # type: ignore[arg-type]
        if extra_column:  # unknown columns end up inside a JSON object built in SQL
            for pos, header in plan.unknown:
                checks[pos] = (json_text, header)
        self._checks = [(pos, check, header) for pos, (check, header) in sorted(checks.items())]
        self._required = [(b.sources, b.header) for b in plan.bound if b.spec.required]
        self._identity = [b.sources for b in plan.identity]
        self.key_numbers = [k + 1 for k in plan.keys]  # _key of each of plan.identity
        self._key_names = "/".join(b.header for b in plan.identity)
        self.staged = [StagedColumn(b.spec.name, b.spec.kind, b.sources, b.spec.separator)
                       for b in plan.bound]  # fmt: skip
        if extra_column and plan.unknown:
            positions = tuple(p for p, _ in plan.unknown)
            names = tuple(h for _, h in plan.unknown)
            self.staged.append(StagedColumn(extra_column, "extra", positions, headers=names))
        elif extra_column and plan.packed is not None:  # a JSON object made in Python (wide.py)
            self.staged.append(StagedColumn(extra_column, "packed", (plan.packed,)))

    def convert(self, line: int, row: list[str]) -> str | None:
        """The COPY line for a good row; None (and errors recorded) for a bad one."""
        if len(row) != self.width:
            self._wrong_width(line, row)
            return None
        joined = "\t".join(row)
        text: str | None = joined
        if joined[:1] == " " or joined[-1:] == " " or " \t" in joined or "\t " in joined:
            row, text = [v.strip() for v in row], None
        problems: list[RowError] = []
        for pos, check, header in self._checks:
            value = row[pos]
            if value:
                try:
                    canonical = check(value)
                except _Bad as bad:
                    problems.append(RowError(line, header, shown(value), str(bad)))
                    continue
                if canonical is not value:
                    row[pos], text = canonical, None
        for sources, header in self._required:
            if not row[sources[0]] and not any(row[p] for p in sources[1:]):
                problems.append(RowError(line, header, "", "required value is empty"))
        return self._finish(line, row, text, problems)

    def _finish(
        self, line: int, row: list[str], text: str | None, problems: list[RowError]
    ) -> str | None:
        key, ident = self._identify(row)
        first = line
        if key < 0:
            if not problems:
                problems.append(
                    RowError(line, self._key_names, "", "no identity value (all empty)")
                )
        else:
            first = self._seen[key].setdefault(ident, line)
            if first != line and not problems:
                problems.append(
                    RowError(line, self._key_names, ident, f"duplicate of line {first}")
                )
        if problems:
            self.errors.extend(problems)
            self.bad_rows += 1
            if self.keep_seen and key >= 0 and first == line:
                return self._seen_only(key, row)
            return None
        self.good_rows += 1
        if text is None:
            text = "\t".join(row)
        if text.count("\t") != self.width - 1 or "\\" in text or "\n" in text or "\r" in text:
            text = "\t".join(v.translate(_ESCAPES) for v in row)
        return f"{self.key_numbers[key]}\tt\t{text}\n"

    def _identify(self, row: list[str]) -> tuple[int, str]:
        """(identity key number, value) of the first identity column with a value; -1 if none."""
        for key, sources in enumerate(self._identity):
            for pos in sources:
                if row[pos]:
                    return key, row[pos]
        return -1, ""

    def _seen_only(self, key: int, row: list[str]) -> str:
        """A staged line naming only the row's identity (so a full feed keeps it), `_ok` false."""
        kept = [""] * self.width
        for pos in self._identity[key]:
            if row[pos]:
                kept[pos] = row[pos].translate(_ESCAPES)
                break
        return f"{self.key_numbers[key]}\tf\t" + "\t".join(kept) + "\n"

    def _wrong_width(self, line: int, row: list[str]) -> None:
        if isinstance(row, Refused):
            self.errors.append(RowError(line, None, row.value, row.reason))
            self.bad_rows += 1
        elif row and (len(row) > 1 or row[0].strip()):  # blank lines are not rows
            self.errors.append(
                RowError(line, None, f"{len(row)} fields", width_reason(len(row), self.width))
            )
            self.bad_rows += 1
