"""The migration guide as data: what the templates render (no I/O, no formatting beyond text)."""

from __future__ import annotations

from dataclasses import dataclass, field

from slipway.guide.verification import Check

STATUS_LABELS = {
    "complete": "✅ Complete",
    "no-rollback": "⚠️ No rollback",
    "pending": "⏳ Pending",
    "modified": "❌ Modified",
    "missing": "❓ Missing",
    "unknown": "❔ Unknown",
}


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
    er_diagram: str  # Mermaid source
    tenant_column: str
    lock_timeout: str
    lock_retries: int
    lock_wait: str
    history_table: str
    migrations_dir: str
    statuses_known: bool = False
    pending: list[str] = field(default_factory=list)
