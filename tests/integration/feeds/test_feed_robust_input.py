"""Hostile or merely unusual feed files: unquoted delimited text, huge lines and fields,
headers wider than a table, deeply nested emails. Each imports or fails with one clear line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from slipway.feeds.errors import FeedRejected
from slipway.feeds.importer import import_feed
from slipway.feeds.mapping import load_mapping
from slipway.feeds.wide import jsonb_text

from .conftest import MAPPING
from .helpers import HEADER, car, feed, vehicles, vin

COMPARED = (
    "vin",
    "stock_number",
    "make",
    "model",
    "year",
    "mileage",
    "price",
    "features",
    "images",
    "extra_attributes",
)


def _rows(count: int) -> list[list[str]]:
    """Cars whose values hold no delimiter of any kind (lists use a single item)."""
    return [car(n, Features="Sunroof") for n in range(1, count + 1)]


def _imported(conn: Any) -> dict[str, tuple[Any, ...]]:
    return {k: tuple(v[c] for c in COMPARED) for k, v in vehicles(conn).items()}


@pytest.mark.parametrize("delimiter", [",", ";", "|"])
def test_unquoted_delimited_file_imports_like_its_quoted_twin(
    owner_conn: Any, admin_conn: Any, tmp_path: Path, delimiter: str
) -> None:
    rows = _rows(30)
    plain = feed(tmp_path / "plain.csv", rows, delimiter=delimiter)
    result = import_feed(owner_conn, load_mapping(MAPPING), plain, 1)
    assert (result.error_rows, result.added) == (0, 30), result.errors
    got_plain = _imported(admin_conn)
    admin_conn.execute("DELETE FROM vehicles")
    quoted = tmp_path / "quoted.csv"
    lines = [delimiter.join(HEADER)] + [delimiter.join([f'"{r[0]}"', *r[1:]]) for r in rows]
    quoted.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = import_feed(owner_conn, load_mapping(MAPPING), quoted, 1)
    assert (result.error_rows, result.added) == (0, 30), result.errors
    assert _imported(admin_conn) == got_plain


def _capped_mapping(tmp_path: Path, line: int, field: int) -> Any:
    text = MAPPING.read_text(encoding="utf-8").replace(
        "[feed]\n", f"[feed]\nmax_line_length = {line}\nmax_field_length = {field}\n", 1
    )
    path = tmp_path / "capped.toml"
    path.write_text(text, encoding="utf-8")
    return load_mapping(path)


@pytest.mark.parametrize("quoted", [False, True])
def test_a_line_over_the_cap_is_one_row_error_and_the_rest_imports(
    owner_conn: Any, admin_conn: Any, tmp_path: Path, quoted: bool
) -> None:
    rows = _rows(3)
    rows[1][HEADER.index("Model")] = "x" * (3 << 20)  # 3 MB, over the 1 MiB default
    if quoted:
        rows[0][HEADER.index("Make")] = '"Honda"'
    path = feed(tmp_path / "long.tsv", rows)
    result = import_feed(owner_conn, load_mapping(MAPPING), path, 1)
    assert (result.added, result.error_rows) == (2, 1)
    (error,) = result.errors
    assert error.line == 3 and "over the limit of 1048576" in error.reason
    assert "max_line_length" in error.reason
    assert set(vehicles(admin_conn)) == {vin(1), vin(3)}


def test_a_quoted_field_over_the_cap_is_one_row_error(
    owner_conn: Any, admin_conn: Any, tmp_path: Path
) -> None:
    """A quoted field spanning many short lines (a runaway quote, say) hits the field cap."""
    rows = _rows(3)
    rows[1][HEADER.index("Model")] = '"' + "a\n" * 3000 + '"'
    path = feed(tmp_path / "field.tsv", rows)
    result = import_feed(owner_conn, _capped_mapping(tmp_path, 1000, 1000), path, 1)
    assert result.error_rows >= 1 and vin(1) in vehicles(admin_conn)
    assert "a field is over the limit of 1000 characters" in result.errors[0].reason
    assert "max_field_length" in result.errors[0].reason


def test_a_header_over_the_cap_is_refused(owner_conn: Any, tmp_path: Path) -> None:
    path = feed(tmp_path / "h.tsv", _rows(1), HEADER[:-1] + ["x" * 5000])
    with pytest.raises(FeedRejected, match="the header line is 5[0-9]+ characters long"):
        import_feed(owner_conn, _capped_mapping(tmp_path, 1000, 1000), path, 1)


def test_reading_a_long_line_takes_linear_time(tmp_path: Path) -> None:
    """Twice the line, about twice the time (the old carry + block copy was quadratic)."""
    import time

    from slipway.feeds.reader import open_feed, records

    def seconds(size: int) -> float:
        path = tmp_path / f"l{size}.tsv"
        path.write_text("VIN\tMake\n" + "y" * size + "\tz\n" + "1\t2\n", encoding="utf-8")
        clock = time.perf_counter()
        got = list(records(open_feed(path)))
        assert got[1][1] == [] and got[2] == (3, ["1", "2"])
        return time.perf_counter() - clock

    small, big = seconds(16 << 20), seconds(64 << 20)
    assert big < 8 * small + 0.5, (small, big)


@pytest.mark.parametrize("extra", [2000, 1700])
def test_a_header_wider_than_a_table_keeps_the_unknown_columns_as_json(
    owner_conn: Any, admin_conn: Any, tmp_path: Path, extra: int
) -> None:
    names = [f"Attr {i}" for i in range(extra)] + ["Attr 7"]  # a repeated key: the last wins
    rows = [
        car(n) + [f"v{n}-{i}" if i % 3 else "" for i in range(extra)] + [f'x"\\{n}'] for n in (1, 2)
    ]
    path = feed(tmp_path / "wide.tsv", rows, HEADER + names)
    result = import_feed(owner_conn, load_mapping(MAPPING), path, 1)
    assert (result.added, result.error_rows) == (2, 0), result.errors[:3]
    got = vehicles(admin_conn)[vin(2)]
    expected = {f"Attr {i}": f"v2-{i}" for i in range(extra) if i % 3}
    expected["Attr 7"] = 'x"\\2'
    assert got["extra_attributes"] == expected and got["model"] == "Accord"
    assert got["features"] == ["Sunroof", "Heated Seats"]
    stored = admin_conn.execute(
        "SELECT extra_attributes::text FROM vehicles WHERE vin = %s", (vin(2),)
    ).fetchone()[0]
    assert stored == jsonb_text(expected)  # so an unchanged object compares as text
    again = import_feed(owner_conn, load_mapping(MAPPING), path, 1)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    short = feed(tmp_path / "short.tsv", [car(3) + ["a"]], HEADER + names)
    (error,) = import_feed(owner_conn, load_mapping(MAPPING), short, 1).errors
    assert (
        error.reason
        == f"row has {len(HEADER) + 1} fields, the header has {len(HEADER) + extra + 1}"
    )
