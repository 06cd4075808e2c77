"""Catalog <-> JSON. A saved snapshot is as good an input as a live database.

The JSON form is a plain dict: `{"format": "slipway-catalog", "version": 1, ...fields}` with
every field of every object (tuples become lists). Collections of named things are sorted by
name so equal catalogs serialize to identical text; column and enum-label order is kept,
because it means something. Unknown keys (from a newer slipway) are ignored on load; missing
ones take the field's default.
"""

from __future__ import annotations

import dataclasses
import json
import typing
from pathlib import Path
from typing import Any

from slipway.catalog import objects, objects_schema
from slipway.catalog.model import Catalog
from slipway.errors import ConfigError

FORMAT = "slipway-catalog"
VERSION = 1

# Tuple fields whose order is part of the schema (never re-sorted).
_ORDERED = {"columns", "attributes", "labels", "ref_columns", "include", "roles"}


def to_dict(catalog: Catalog) -> dict[str, Any]:
    """The catalog as a JSON-ready dict, in a stable order."""
    body = _encode(catalog)
    assert isinstance(body, dict)
    return {"format": FORMAT, "version": VERSION, **body}


def from_dict(data: dict[str, Any]) -> Catalog:
    """The catalog from `to_dict`'s dict; raises ConfigError when it is not one."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ConfigError('not a slipway catalog snapshot (expected "format": "slipway-catalog")')
    if not isinstance(data.get("version"), int) or data["version"] > VERSION:
        raise ConfigError(
            f"catalog snapshot version {data.get('version')!r} is newer than this slipway "
            f"understands ({VERSION}); upgrade slipway"
        )
    try:
        catalog: Catalog = _decode(Catalog, data)
        return catalog
    except (TypeError, ValueError, KeyError) as exc:
        raise ConfigError(f"malformed catalog snapshot: {exc}") from exc


def dumps(catalog: Catalog) -> str:
    return json.dumps(to_dict(catalog), indent=1, ensure_ascii=False) + "\n"


def save_snapshot(catalog: Catalog, path: str | Path) -> None:
    Path(path).write_text(dumps(catalog), encoding="utf-8")


def load_snapshot(path: str | Path) -> Catalog:
    """A catalog saved by `save_snapshot`; ConfigError when unreadable or not a snapshot."""
    return from_dict(read_json(path, "catalog snapshot"))


def read_json(path: str | Path, what: str) -> Any:
    """The JSON document in `path` (a snapshot of some kind, named `what` in errors); one-line
    ConfigError when it cannot be read or is not JSON."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read {what} {path}: {exc.strerror}") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{what} {path} is not valid JSON: {exc}") from exc


def _encode(value: Any, field_name: str = "") -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _encode(getattr(value, f.name), f.name)
            for f in dataclasses.fields(value)
            if not f.name.startswith("_")
        }
    if isinstance(value, tuple):
        items = list(value)
        if field_name not in _ORDERED and all(dataclasses.is_dataclass(i) for i in items):
            items.sort(key=sort_key)
        return [_encode(v) for v in items]
    return value


def sort_key(obj: Any) -> tuple[str, ...]:
    """Canonical order: by key for top-level objects, by name for those inside a table."""
    key = getattr(obj, "key", None)
    return key if isinstance(key, tuple) else (str(obj.name),)


_HINTS: dict[str, dict[str, Any]] = {}


def _hints(cls: type[Any]) -> dict[str, Any]:
    found = _HINTS.get(cls.__name__)
    if found is None:
        found = _HINTS[cls.__name__] = typing.get_type_hints(
            cls, {**vars(objects), **vars(objects_schema)}
        )
    return found


def _decode(cls: type[Any], data: dict[str, Any]) -> Any:
    if not isinstance(data, dict):
        raise TypeError(f"expected an object for {cls.__name__}, got {type(data).__name__}")
    hints = _hints(cls)
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name.startswith("_") or f.name not in data:
            continue
        kwargs[f.name] = _convert(hints[f.name], data[f.name])
    return cls(**kwargs)


def _convert(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_convert(args[0], v) for v in value)
        return tuple(_convert(a, v) for a, v in zip(args, value, strict=True))
    if args and type(None) in args:  # Optional[X]
        inner = [a for a in args if a is not type(None)]
        return _convert(inner[0], value) if len(inner) == 1 else value
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _decode(hint, value)
    if hint is float and isinstance(value, int):
        return float(value)
    return value
