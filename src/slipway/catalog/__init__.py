"""The Catalog model in the middle of slipway: introspect, serialize, diff.

Import the model from `slipway.catalog.model`; `introspect`, `serialize` and `diff` are
separate modules so that reading a snapshot never imports psycopg.
"""
