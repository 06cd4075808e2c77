"""The doctor's CRUD check and load test make rows from the doctor's own Catalog fact, so that
fact must hold everything the row generator reads (`testrows.KINDS`, `testrows.MEMBERS`)."""

from __future__ import annotations

from slipway.catalog.testrows import KINDS, MEMBERS
from slipway.health.gather import CATALOG_KINDS, CATALOG_MEMBERS


def test_the_doctors_catalog_holds_what_the_row_generator_reads() -> None:
    assert set(KINDS) <= set(CATALOG_KINDS)
    assert set(MEMBERS) <= {"columns", *CATALOG_MEMBERS}  # constraints bring the columns
