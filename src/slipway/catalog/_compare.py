"""Building blocks of the catalog diff: wording, attribute comparison, keyed collections."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from slipway.catalog.model import Key
from slipway.catalog.objects import privileges

T = TypeVar("T")

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
# Only the relative order of a table's columns differs. Its own kind: PostgreSQL cannot put a
# column back in place after DROP COLUMN + ADD COLUMN, so a rollback may tolerate it.
COLUMN_ORDER = "column-order"


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between two catalogs, named precisely.

    `kind` is added (only in after), removed (only in before), changed, or column-order (the
    columns both sides share are in another order, nothing else); `object` is the
    label of the object concerned ("index users_email_idx"); `message` is the sentence people
    read ("index users_email_idx left behind"); `key` is the object's stable key.
    """

    kind: str
    object: str
    message: str
    key: Key = ()

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True, slots=True)
class Wording:
    """How an object only in `after` (added) or only in `before` (removed) is described."""

    added: str = "added"
    removed: str = "dropped"


#: Live database (after) against the expected catalog (before): drift.
DRIFT = Wording(added="added", removed="dropped")
#: State after a rollback (after) against the state before the migration (before).
ROLLBACK = Wording(added="left behind", removed="missing")


@dataclass(frozen=True, slots=True)
class Options:
    wording: Wording = DRIFT
    compare_privileges: bool = True
    compare_owner: bool = True


def short(value: str, limit: int = 120) -> str:
    """Long expressions shortened so one difference stays on one readable line."""
    flat = " ".join(value.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def expr(value: str | None) -> str:
    return "NULL" if value is None else short(value)


def text(value: str | None) -> str:
    return "none" if value is None else short(value)


def quoted(value: str | None) -> str:
    return "none" if value is None else repr(short(value))


def listing(values: Iterable[str]) -> str:
    return "[" + ", ".join(values) + "]"


class Collector:
    """Accumulates changes with the wording and switches of one diff run."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.changes: list[Change] = []

    def add(self, kind: str, label: str, message: str, key: Key) -> None:
        self.changes.append(Change(kind, label, message, key))

    def presence(self, kind: str, label: str, key: Key) -> None:
        word = self.options.wording.added if kind == ADDED else self.options.wording.removed
        self.add(kind, label, f"{label} {word}", key)

    def changed(self, label: str, key: Key, what: str) -> None:
        self.add(CHANGED, label, f"{label} {what}", key)

    def attrs(self, label: str, key: Key, before: Any, after: Any, spec: Spec) -> None:
        """Compare the attributes in `spec`: (attribute, phrase, formatter)."""
        for attr, phrase, fmt in spec:
            old, new = getattr(before, attr), getattr(after, attr)
            if old != new:
                self.changed(label, key, f"{phrase} changed from {fmt(old)} to {fmt(new)}")

    def flag(self, label: str, key: Key, old: bool, new: bool, when: tuple[str, str]) -> None:
        """A boolean that became true (`when[0]`) or false (`when[1]`)."""
        if old != new:
            self.changed(label, key, when[0] if new else when[1])

    def common(self, label: str, key: Key, before: Any, after: Any) -> None:
        """Comment, owner and grants: shared by most objects."""
        if getattr(before, "comment", None) != getattr(after, "comment", None):
            self.changed(
                label,
                key,
                f"comment changed from {quoted(before.comment)} to {quoted(after.comment)}",
            )
        if self.options.compare_owner and getattr(before, "owner", None) != getattr(
            after, "owner", None
        ):
            self.changed(
                label, key, f"owner changed from {text(before.owner)} to {text(after.owner)}"
            )
        if self.options.compare_privileges and hasattr(before, "grants"):
            self.grants(label, key, before, after)

    def grants(self, label: str, key: Key, before: Any, after: Any) -> None:
        """Privileges granted or revoked, one change per grantee and privilege."""
        old = privileges(before.grants, getattr(before, "owner", None))
        new = privileges(after.grants, getattr(after, "owner", None))
        words = self.options.wording
        for grantee, priv in sorted(new - old):
            self.add(ADDED, label, f"{label} grant {priv} to {grantee} {words.added}", key)
        for grantee, priv in sorted(old - new):
            self.add(REMOVED, label, f"{label} grant {priv} to {grantee} {words.removed}", key)

    def on(self, label: str, key: Key) -> On:
        """The same comparisons, bound to one object's label and key."""
        return On(self, label, key)

    def keyed(
        self,
        before: Iterable[T],
        after: Iterable[T],
        key: Callable[[T], Key],
        label: Callable[[T], str],
        compare: Callable[[T, T], None],
    ) -> None:
        """Match two collections by key: report added, removed, and compare the common ones."""
        old = {key(o): o for o in before}
        new = {key(o): o for o in after}
        for k, o in old.items():
            if k not in new:
                self.presence(REMOVED, label(o), k)
        for k, o in new.items():
            if k not in old:
                self.presence(ADDED, label(o), k)
            else:
                compare(old[k], o)


class On:
    """Collector methods bound to one object, so each comparison is one short line."""

    def __init__(self, collector: Collector, label: str, key: Key) -> None:
        self.c, self.label, self.key = collector, label, key

    def changed(self, what: str) -> None:
        self.c.changed(self.label, self.key, what)

    def differs(self, old: Any, new: Any, what: str) -> None:
        if old != new:
            self.changed(what)

    def lists(self, old: Sequence[str], new: Sequence[str], what: str) -> None:
        """`what changed from [..] to [..]` when the two lists differ."""
        if list(old) != list(new):
            self.changed(f"{what} changed from {listing(old)} to {listing(new)}")

    def attrs(self, old: Any, new: Any, spec: Spec) -> None:
        self.c.attrs(self.label, self.key, old, new, spec)

    def flag(self, old: bool, new: bool, when: tuple[str, str]) -> None:
        self.c.flag(self.label, self.key, old, new, when)

    def common(self, old: Any, new: Any) -> None:
        self.c.common(self.label, self.key, old, new)


Spec = Sequence[tuple[str, str, Callable[[Any], str]]]
