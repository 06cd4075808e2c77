"""`slipway doctor`: the live database's health and integrity report.

    from slipway.health import DoctorOptions, run_doctor
    report = run_doctor(conn, settings, DoctorOptions(load_clients=10, url=url))

Facts are gathered by a few set-based read-only queries (facts.py, queries/*.sql), checks are
pure functions of them (checks/hcNNN_<name>.py), CRUD validation and the load test write only
inside transactions that are rolled back (crud.py, loadtest.py); the Report and its renderers
live in slipway.report.
"""

from __future__ import annotations

from slipway.health.engine import DoctorOptions, run_doctor

__all__ = ["DoctorOptions", "run_doctor"]
