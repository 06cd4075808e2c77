"""The migration guide as data: what the templates render (no I/O, no formatting beyond text)."""

from __future__ import annotations

from dataclasses import dataclass, field

from slipway.guide.mermaid import Diagram
from slipway.guide.verification import Check

# A status: its emoji (Markdown, which GitHub shows with its own emoji font), its words and
# the badge colour the HTML page shows instead (no emoji font needed).
STATUSES = {
    "complete": ("✅", "Complete", "pass"),
    "no-rollback": ("⚠️", "No rollback", "warn"),
    "pending": ("⏳", "Pending", "info"),
    "modified": ("❌", "Modified", "fail"),
    "missing": ("❓", "Missing", "fail"),
    "unknown": ("❔", "Unknown", "unknown"),
}
STATUS_LABELS = {key: f"{emoji} {words}" for key, (emoji, words, _) in STATUSES.items()}


@dataclass(frozen=True, slots=True)
class Line:
    """One object a migration touches: `table leads` with a detail and its line."""

    label: str
    detail: str
    line: int

    @property
    def text(self) -> str:
        detail = f" ({self.detail})" if self.detail else ""
        return f"{self.label}{detail}, line {self.line}"


@dataclass
class Entry:
    version: str
    name: str
    description: str
    file: str
    kind: str  # Forward | Forward+Rollback
    status: str  # a key of STATUS_LABELS
    applied_at: str = ""
    creates: list[Line] = field(default_factory=list)
    alters: list[Line] = field(default_factory=list)
    drops: list[Line] = field(default_factory=list)
    writes: list[Line] = field(default_factory=list)
    lock: str = ""  # "ACCESS EXCLUSIVE on conversations (line 219)"; "" when none
    lock_blocks: str = ""
    risks: list[str] = field(default_factory=list)
    mode: str = "transaction"  # how it runs, as the guide words it
    rollback_file: str = ""
    rollback_drops: list[str] = field(default_factory=list)
    depends: list[str] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    syntax_error: str = ""

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class Guide:
    project: str
    generated: str  # timestamp text, "" when not given (golden tests)
    database: str  # "connected to ...", "database not reachable: status unknown", "offline ..."
    summary: list[tuple[str, str]]
    layouts: str
    entries: list[Entry]
    dependency_graph: str  # Mermaid source
    er_diagrams: list[Diagram]  # one per schema, or per part of a big one
    tenant_column: str
    lock_timeout: str
    lock_retries: int
    lock_wait: str
    history_table: str
    migrations_dir: str
    statuses_known: bool = False
    pending: list[str] = field(default_factory=list)
