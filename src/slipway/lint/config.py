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
from slipway.lint.rule import Options, Rule, all_rules, resolve

if TYPE_CHECKING:
    from slipway.config import Settings
    from slipway.config_schema import LintSection


@dataclass(repr=False, eq=False, frozen=True)
class LintConfig:
    disable: frozenset[str] = frozenset()
    enable: frozenset[str] = frozenset()
    severity: dict[str, str] = field(default_factory=dict)
    options: Options = field(default_factory=Options)

    @classmethod
    def from_settings(cls, settings: Settings) -> LintConfig:
        from slipway.config import config_label

        if settings.file_config is None:  # the defaults, without loading the schema
            return cls(options=Options(tenant_column=settings.tenant_column))
        label = config_label(settings.config_file)
        return cls.from_section(settings.config.lint, settings.tenant_column, label)

    @classmethod
    def from_mapping(
        cls, section: dict[str, Any], tenant_column: str = "dealership_id"
    ) -> LintConfig:
        """A [lint] table given as data, validated like the config file's."""
        from slipway.config_errors import validate_config

        return cls.from_section(validate_config({"lint": section}, "").lint, tenant_column)

    @classmethod
    def from_section(cls, section: LintSection, tenant_column: str, label: str = "") -> LintConfig:
        """The schema checked the types; only the rule registry knows the rule names."""
        at = f"{label}: " if label else ""
        return cls(
            disable=frozenset(
                n for v in section.disable for n in _rule_names(v, f"{at}[lint] disable")
            ),
            enable=frozenset(
                n for v in section.enable for n in _rule_names(v, f"{at}[lint] enable")
            ),
            severity={
                name: v
                for k, v in section.severity.items()
                for name in _rule_names(k, f"{at}[lint.severity] {k}")
            },
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


def _rule_names(value: str, where: str) -> list[str]:
    rules = resolve(value)
    if not rules:
        raise ConfigError(
            f"{where}: unknown lint rule {value!r}; `slipway lint --list` shows the rule names"
        )
    return [rule.name for rule in rules]
