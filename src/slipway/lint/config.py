"""Which rules run and at what severity: `[lint]` in slipway.toml.

[lint]
disable = ["prefer-text-field"]       # names or codes
enable = ["some-opt-in-rule"]
[lint.severity]
ban-drop-column = "error"
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from slipway.errors import ConfigError
from slipway.lint.findings import SEVERITIES
from slipway.lint.rule import Options, Rule, all_rules, lookup

if TYPE_CHECKING:
    from slipway.config import Settings


@dataclass(repr=False, eq=False, frozen=True)
class LintConfig:
    disable: frozenset[str] = frozenset()
    enable: frozenset[str] = frozenset()
    severity: dict[str, str] = field(default_factory=dict)
    options: Options = field(default_factory=Options)

    @classmethod
    def from_settings(cls, settings: Settings) -> LintConfig:
        return cls.from_mapping(settings.section("lint"), settings.tenant_column)

    @classmethod
    def from_mapping(
        cls, section: dict[str, Any], tenant_column: str = "dealership_id"
    ) -> LintConfig:
        severity = section.get("severity", {})
        if not isinstance(severity, dict):
            raise ConfigError('[lint.severity] must be a table of rule = "error|warning|info"')
        levels: dict[str, str] = {}
        for key, value in severity.items():
            if str(value) not in SEVERITIES:
                raise ConfigError(
                    f"[lint.severity] {key} = {value!r}: use one of {', '.join(SEVERITIES)}"
                )
            levels[_rule_name(key, "[lint.severity]")] = str(value)
        return cls(
            disable=frozenset(_names(section.get("disable", []), "disable")),
            enable=frozenset(_names(section.get("enable", []), "enable")),
            severity=levels,
            options=Options(tenant_column=tenant_column),
        )

    def active(self) -> list[tuple[type[Rule], str]]:
        """(rule class, effective severity) for every rule that runs."""
        out = []
        for rule in all_rules():
            on = rule.default_enabled or rule.name in self.enable
            if on and rule.name not in self.disable:
                out.append((rule, self.severity.get(rule.name, rule.severity)))
        return out


def _rule_name(value: object, where: str) -> str:
    rule = lookup(str(value))
    if rule is None:
        raise ConfigError(
            f"{where}: unknown lint rule {value!r}; `slipway lint --list` shows the rule names"
        )
    return rule.name


def _names(value: object, key: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise ConfigError(f"[lint] {key} must be a list of rule names")
    return [_rule_name(v, f"[lint] {key}") for v in value]
