"""Proof, not hope: rollback round trips, drift and tenant isolation on a real server.

- `roundtrip.verify_migrations` — up, snapshot, verify, down, compare, up again, per migration
  (savepoints for transactional ones; see the module docstring for the design);
- `drift.detect_drift` — the live database against its applied migrations replayed;
- `tenancy.check_tenancy` — RLS isolation as a temporary role, rolled back;
- `scratch.scratch_database` — scratch databases that are always dropped;
- `snapshots.Snapshots` — catalog snapshots that re-read only changed tables.

Modules import psycopg; import them where they are used.
"""
