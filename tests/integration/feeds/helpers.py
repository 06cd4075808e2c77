"""Small builders for feed tests: TSV text from rows, valid VINs, the Rylie mapping."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from slipway.feeds.mapping import FeedMapping, load_mapping
from slipway.feeds.vin import with_check_digit

from .conftest import MAPPING

HEADER = ["VIN", "Stock", "Make", "Model", "Year", "Mileage", "Price", "MSRP", "Features", "Images"]


def vin(n: int) -> str:
    """A distinct valid VIN per n."""
    return with_check_digit(f"1HGCM826{0}3A{n:06d}")


def mapping() -> FeedMapping:
    return load_mapping(MAPPING)


def feed(
    path: Path,
    rows: list[list[str]],
    header: list[str] | None = None,
    *,
    delimiter: str = "\t",
    encoding: str = "utf-8",
    newline: str = "\n",
) -> Path:
    lines = [delimiter.join(header or HEADER)] + [delimiter.join(r) for r in rows]
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    return path


def car(n: int, **over: str) -> list[str]:
    row = {
        "VIN": vin(n),
        "Stock": f"S{n:04d}",
        "Make": "Honda",
        "Model": "Accord",
        "Year": "2021",
        "Mileage": str(1000 + n),
        "Price": f"{20000 + n}.00",
        "MSRP": "",
        "Features": "Sunroof, Heated Seats",
        "Images": "https://img.example.com/a.jpg",
    }
    row.update(over)
    return [row[h] for h in HEADER]


def vehicles(conn: Any, tenant: int = 1) -> dict[str, dict[str, Any]]:
    """Every vehicle of `tenant` keyed by VIN (or stock number), read as a superuser."""
    cur = conn.cursor()
    cur.execute("SELECT *, xmin::text AS xmin FROM vehicles WHERE dealership_id = %s", (tenant,))
    names = [d.name for d in cur.description]
    return {
        (r[names.index("vin")] or r[names.index("stock_number")]): dict(zip(names, r))
        for r in cur.fetchall()
    }
