"""Validate a config file's data against the schema and say what is wrong, one line per problem.

`slipway.toml: [migrations] lock_retries: expected an integer, got 'abc'`: the file, the TOML
key path as the user wrote it, what was expected and what was found; an unknown key names the
closest known one.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from slipway.config_schema import SlipwayConfig
from slipway.errors import ConfigError

_EXPECTED = {
    "int_type": "expected an integer", "int_parsing": "expected an integer",
    "int_from_float": "expected an integer", "float_type": "expected a number",
    "float_parsing": "expected a number", "bool_type": "expected true or false",
    "bool_parsing": "expected true or false", "string_type": "expected a string",
    "model_type": "expected a table", "model_attributes_type": "expected a table",
    "dict_type": "expected a table", "tuple_type": "expected a list", "list_type": "expected a list",
    "missing": "required, but missing",
}  # fmt: skip


def validate_config(data: dict[str, Any], label: str, prefix: str = "") -> SlipwayConfig:
    """The validated config, or a ConfigError listing every problem (`label` names the file,
    `prefix` is where slipway's tables start in it, e.g. "tool.slipway")."""
    try:
        return SlipwayConfig.model_validate(data)
    except ValidationError as exc:
        lines = dict.fromkeys(_line(err, data, label, prefix) for err in exc.errors())
        raise ConfigError("\n".join(lines)) from None


def _line(err: Any, data: dict[str, Any], label: str, prefix: str) -> str:
    loc: tuple[str | int, ...] = tuple(err["loc"])
    where = _where(loc, data, prefix)
    head = f"{label}: {where}" if label else where
    kind, value = err["type"], err.get("input")
    if kind == "extra_forbidden":
        return f"{head}: {_unknown(loc)}"
    if kind == "literal_error":
        return f"{head}: expected one of {err['ctx']['expected']}, got {_show(value)}"
    if kind in ("tuple_type", "list_type") and _is_array_of_tables(loc):
        table = ".".join([prefix, *map(str, loc)] if prefix else map(str, loc))
        return f"{head}: expected an array of tables ([[{table}]]), got {_show(value)}"
    text = _EXPECTED.get(kind) or _limit(kind, err.get("ctx") or {}) or _message(err["msg"])
    if kind == "missing" or (kind == "value_error" and isinstance(value, dict)):
        return f"{head}: {text}"  # a rule about the whole table: no single value to show
    return f"{head}: {text}, got {_show(value)}"


def _limit(kind: str, ctx: dict[str, Any]) -> str | None:
    bounds = {
        "greater_than_equal": ("at least", "ge"),
        "greater_than": ("more than", "gt"),
        "less_than_equal": ("at most", "le"),
        "less_than": ("less than", "lt"),
    }
    if kind not in bounds:
        return None
    words, key = bounds[kind]
    return f"must be {words} {ctx.get(key)}"


def _message(msg: str) -> str:
    return msg.removeprefix("Value error, ")


def _where(loc: tuple[str | int, ...], data: Any, prefix: str) -> str:
    """`[migrations] lock_retries`, `[[maintain.partitions]] #2 ahead`, `[migratons]`."""
    depth, node = 0, data
    for depth_next, part in enumerate(loc[:-1], start=1):  # the deepest table holding the key
        node = _child(node, part)
        if isinstance(node, dict):
            depth = depth_next
        elif not isinstance(node, list):  # an array of tables is walked through, not stopped at
            break
    table, key = loc[:depth], loc[depth:]
    names = [str(p) for p in table if isinstance(p, str)]
    if prefix:
        names.insert(0, prefix)
    if not table:  # a top-level key is a section: [name]
        return f"[{'.'.join([*names, str(key[0])])}]" + "".join(f" {_key(k)}" for k in key[1:])
    indexes = [p for p in table if isinstance(p, int)]
    head = f"[[{'.'.join(names)}]] #{indexes[-1] + 1}" if indexes else f"[{'.'.join(names)}]"
    named = _rule_name(data, table) if indexes else None
    head += f" ({named})" if named else ""
    return head + " " + " ".join(_key(k) for k in key)


def _rule_name(data: Any, table: tuple[str | int, ...]) -> str | None:
    """The table or name an array-of-tables entry is about, to say which one is meant."""
    node = data
    for part in table:
        node = _child(node, part)
    for key in ("table", "name"):
        if isinstance(node, dict) and isinstance(node.get(key), str) and node[key]:
            return str(node[key])
    return None


def _key(part: str | int) -> str:
    return f"item {part + 1}" if isinstance(part, int) else str(part)


def _child(node: Any, part: str | int) -> Any:
    if isinstance(part, str) and isinstance(node, dict):
        return node.get(part)
    if isinstance(part, int) and isinstance(node, list | tuple) and part < len(node):
        return node[part]
    return None


def _unknown(loc: tuple[str | int, ...]) -> str:
    name, known = str(loc[-1]), _known_keys(loc[:-1])
    what = "section" if len(loc) == 1 else "key"
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if close:
        suggestion = f"[{close[0]}]" if len(loc) == 1 else close[0]
        return f"unknown {what}; did you mean {suggestion}?"
    return f"unknown {what}; known: {', '.join(known) or 'none'}"


def _known_keys(loc: tuple[str | int, ...]) -> list[str]:
    model = _model_at(loc)
    return list(model.model_fields) if model else []


def _model_at(loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    model: type[BaseModel] | None = SlipwayConfig
    for part in loc:
        if model is None:
            return None
        if isinstance(part, str):
            field = model.model_fields.get(part)
            model = model_inside(field.annotation) if field else None
    return model


def model_inside(annotation: Any) -> type[BaseModel] | None:
    """The model inside X, X | None, tuple[X, ...] or Annotated[...]."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (
        typing.Union,
        types.UnionType,
        tuple,
        list,
        typing.Annotated,
    ):
        for arg in typing.get_args(annotation):
            found = model_inside(arg)
            if found:
                return found
    return None


def _is_array_of_tables(loc: tuple[str | int, ...]) -> bool:
    parent = _model_at(loc[:-1])
    field = parent.model_fields.get(str(loc[-1])) if parent else None
    return field is not None and model_inside(field.annotation) is not None


def _show(value: Any) -> str:
    """A value as the user wrote it in TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list | tuple):
        return "an array"
    return repr(value)
