"""slipway: take a PostgreSQL schema from migration files to production safely."""

__version__ = "0.1.0"
