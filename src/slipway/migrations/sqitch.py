"""Read a Sqitch project (sqitch.plan with deploy/, revert/ and verify/ scripts) as migrations.

Sqitch orders changes by the plan, not by a version in a file name, so each change's version is
its place in the plan (0001, 0002, ...) and its name the change's name, which is also how
`slipway adopt --from sqitch` matches Sqitch's own history. A reworked change (a name planned
again after a tag) keeps its earlier scripts as `deploy/<name>@<tag>.sql`, the tag being the
first one planned after that earlier entry, as `sqitch rework` writes them.

Only the plan's default place is read: scripts beside sqitch.plan (`top_dir` "."). A
`sqitch.conf` that moves them is refused with a one-line error rather than misread.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from slipway.errors import MigrationLayoutError
from slipway.migrations.model import Ignored, Migration, MigrationSet, Script, shown_path

__all__ = ["PLAN", "is_sqitch_project", "load_sqitch"]

PLAN = "sqitch.plan"
# name [dependencies] 2015-09-01T13:14:49Z Planner Name <planner@example.com> # note
_CHANGE = re.compile(
    r"^[+-]?(?P<name>[^\s\[@#%]+)\s*(?:\[[^\]]*\])?\s*\S+\s+[^<]*<[^>]*>\s*(?:#\s?(?P<note>.*))?$"
)
_TAG = re.compile(r"^@(?P<tag>\S+)")
_MOVED = re.compile(r"^\s*(top_dir|deploy_dir|revert_dir|verify_dir|plan_file)\s*=", re.MULTILINE)


@dataclass(frozen=True)
class _Planned:
    name: str
    note: str
    line: int
    script_name: str  # name, or name@tag for an entry a later rework replaced


def is_sqitch_project(directory: Path) -> bool:
    """Whether `directory` holds a Sqitch plan."""
    return (directory / PLAN).is_file()


def load_sqitch(directory: Path, script: Callable[[Path], Script]) -> MigrationSet:
    """The plan's changes in order, with their deploy, revert and verify scripts (`script`
    reads one, with its directives, as the other layouts do)."""
    _refuse_moved_scripts(directory)
    plan = directory / PLAN
    try:
        text = plan.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MigrationLayoutError(f"{shown_path(plan)}: cannot read ({exc})") from exc
    planned = _parse_plan(plan, text)
    width = max(4, len(str(len(planned))))
    result = MigrationSet(directory=directory, order="sqitch")
    result.layouts.add("sqitch")
    for position, change in enumerate(planned, 1):
        deploy = directory / "deploy" / f"{change.script_name}.sql"
        if not deploy.is_file():
            raise MigrationLayoutError(
                f"{shown_path(plan)}:{change.line}: change {change.name} has no deploy script "
                f"({shown_path(deploy)}); add it or remove the change from the plan"
            )
        up = script(deploy)
        revert = directory / "revert" / f"{change.script_name}.sql"
        verify = directory / "verify" / f"{change.script_name}.sql"
        result.migrations.append(
            Migration(
                version=str(position).zfill(width),
                name=change.name,
                description=change.note or change.name.replace("_", " ").capitalize(),
                up=up,
                down=script(revert) if revert.is_file() else None,
                verify=script(verify) if verify.is_file() else None,
                layout="sqitch",
                order="sqitch",
            )
        )
    result.ignored.extend(_unplanned(directory, planned))
    return result


def _parse_plan(plan: Path, text: str) -> list[_Planned]:
    entries: list[tuple[str, str, int]] = []
    tags: list[tuple[int, str]] = []  # (index of the next change, tag)
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith(("#", "%")):
            continue
        tag = _TAG.match(line)
        if tag:
            tags.append((len(entries), tag.group("tag")))
            continue
        change = _CHANGE.match(line)
        if change is None:
            raise MigrationLayoutError(
                f"{shown_path(plan)}:{number}: not a change or tag line Sqitch writes "
                "(name [dependencies] timestamp planner <email> # note)"
            )
        entries.append((change.group("name"), (change.group("note") or "").strip(), number))
    planned = []
    for index, (name, note, number) in enumerate(entries):
        reworked = any(other == name for other, _, _ in entries[index + 1 :])
        script = name
        if reworked:  # sqitch rework kept this entry's scripts under the next tag
            following = next((t for at, t in tags if at > index), None)
            if following is None:
                raise MigrationLayoutError(
                    f"{shown_path(plan)}:{number}: change {name} is planned again later "
                    "without a tag in between; Sqitch reworks a change only after a tag"
                )
            script = f"{name}@{following}"
        planned.append(_Planned(name, note, number, script))
    return planned


def _refuse_moved_scripts(directory: Path) -> None:
    conf = directory / "sqitch.conf"
    if conf.is_file():
        found = _MOVED.search(conf.read_text(encoding="utf-8", errors="replace"))
        if found:
            raise MigrationLayoutError(
                f"{shown_path(conf)}: sets {found.group(1)}; slipway reads Sqitch's scripts only "
                "in their default place (deploy/, revert/, verify/ beside sqitch.plan)"
            )


def _unplanned(directory: Path, planned: list[_Planned]) -> list[Ignored]:
    """Deploy scripts the plan does not name: never applied, worth a warning."""
    known = {f"{p.script_name}.sql" for p in planned}
    deploy = directory / "deploy"
    if not deploy.is_dir():
        return []
    return [
        Ignored(path=path, reason="a deploy script sqitch.plan does not name")
        for path in sorted(deploy.rglob("*.sql"))
        if path.relative_to(deploy).as_posix() not in known
    ]
