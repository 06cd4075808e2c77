"""The feed importer's failures: a rejected file changes nothing."""

from __future__ import annotations

from slipway.errors import SlipwayError


class FeedRejected(SlipwayError):
    """The whole file was refused (no header, no identity column, unreadable); nothing changed."""

    exit_code = 1
