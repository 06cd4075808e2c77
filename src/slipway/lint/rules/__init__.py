"""Lint rules, one module each; `slipway.lint.rule.all_rules()` imports and registers them."""
