"""Data feed importer: a TOML mapping declares the target; files are checked, staged with
COPY and merged set-based in one transaction.

    from slipway.feeds import import_feed, load_mapping
    result = import_feed(conn, load_mapping(path_to_toml), Path("inventory.eml"), tenant=1)

Import lazily (psycopg is loaded by the importer module only).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from slipway.feeds.importer import ImportResult, import_feed
    from slipway.feeds.mapping import FeedMapping, find_mapping, load_mapping

__all__ = ["FeedMapping", "ImportResult", "find_mapping", "import_feed", "load_mapping"]


def __getattr__(name: str) -> Any:
    if name in ("ImportResult", "import_feed"):
        from slipway.feeds import importer

        return getattr(importer, name)
    if name in ("FeedMapping", "find_mapping", "load_mapping"):
        from slipway.feeds import mapping

        return getattr(mapping, name)
    raise AttributeError(name)
