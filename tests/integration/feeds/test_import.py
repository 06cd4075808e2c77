"""The inventory feed importer against a real Rylie database, running as a non-superuser
owner so FORCED row-level security applies (seed 001, "Inventory Import Process")."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from slipway.feeds import importer
from slipway.feeds.errors import FeedRejected
from slipway.feeds.importer import import_feed

from .conftest import MIGRATIONS
from .helpers import HEADER, car, feed, mapping, vehicles, vin

DATA = MIGRATIONS.parent / "data"
SAMPLE_ERRORS = [  # (line, column, reason start) of the shipped sample's bad rows
    (42, "VIN", "VIN check digit is"),
    (87, "Year", "out of range 1980.."),
    (132, "Price", "not a number"),
    (177, None, "row has 11 fields, the header has 19"),
    (222, "VIN/Stock", "no identity value"),
    (267, "Mileage", "not a whole number"),
]


def run(conn: Any, path: Path, tenant: int = 1, full: bool = False) -> Any:
    return import_feed(conn, mapping(), path, tenant, full=full)


@pytest.mark.parametrize("name", ["inventory_feed.tsv", "inventory_feed.eml"])
def test_sample_feed_imports_good_rows_and_reports_each_bad_one(
    owner_conn: Any, admin_conn: Any, name: str
) -> None:
    result = run(owner_conn, DATA / name)
    assert result.stats() == {
        "added": 300,
        "updated": 0,
        "unchanged": 0,
        "deactivated": 0,
        "errors": 6,
    }
    got = [(e.line, e.column, e.reason) for e in result.errors]
    assert len(got) == len(SAMPLE_ERRORS)
    for (line, column, reason), want in zip(got, SAMPLE_ERRORS):
        assert (line, column) == want[:2] and reason.startswith(want[2])
    assert result.errors[2].value == "call for price"
    assert result.errors[1].value == "1850"
    assert len(vehicles(admin_conn)) == 300
    log = admin_conn.execute(
        "SELECT dealership_id, source_file, added, updated, unchanged, deactivated, errors,"
        " error_report, full_feed, finished_at >= started_at FROM inventory_imports"
    ).fetchall()
    assert len(log) == 1
    tenant, source, *stats, report, full, ordered = log[0]
    assert (tenant, stats, full, ordered) == (1, [300, 0, 0, 0, 6], False, True)
    assert name in source
    assert report[0]["line"] == 42 and report[0]["column"] == "VIN" and report[0]["value"]


def test_same_file_twice_changes_nothing(owner_conn: Any, admin_conn: Any) -> None:
    run(owner_conn, DATA / "inventory_feed.tsv")
    before = vehicles(admin_conn)
    again = run(owner_conn, DATA / "inventory_feed.tsv", full=True)
    assert again.stats() == {
        "added": 0,
        "updated": 0,
        "unchanged": 300,
        "deactivated": 0,
        "errors": 6,
    }
    after = vehicles(admin_conn)
    assert after.keys() == before.keys()
    for key, row in after.items():  # not rewritten at all: same tuple version, same updated_at
        assert (row["xmin"], row["updated_at"]) == (before[key]["xmin"], before[key]["updated_at"])


def test_changed_row_is_updated_and_only_it(
    owner_conn: Any, admin_conn: Any, tmp_path: Path
) -> None:
    run(owner_conn, feed(tmp_path / "a.tsv", [car(1), car(2)]))
    before = vehicles(admin_conn)
    result = run(owner_conn, feed(tmp_path / "b.tsv", [car(1, Price="18500"), car(2)]))
    assert (result.added, result.updated, result.unchanged) == (0, 1, 1)
    after = vehicles(admin_conn)
    assert str(after[vin(1)]["price"]) == "18500.00"
    assert after[vin(1)]["updated_at"] > before[vin(1)]["updated_at"]
    assert after[vin(2)]["xmin"] == before[vin(2)]["xmin"]


def test_aliases_are_case_and_spacing_insensitive(
    owner_conn: Any, admin_conn: Any, tmp_path: Path
) -> None:
    header = [
        "vin",
        "Stock Number",
        "MAKE",
        "model",
        "year",
        "Color",
        "interior_color",
        "Body",
        "fuel",
        "DRIVE TYPE",
        "mileage",
        "msrp",
        "Transmission",
        "engine",
        "TRIM",
    ]
    row = [
        vin(5),
        "S5",
        "Ford",
        "F-150",
        "2022",
        "Blue",
        "Black Leather",
        "Truck",
        "Gasoline",
        "4WD",
        "12,345",
        "$51,000",
        "Automatic",
        "5.0L V8",
        "XLT",
    ]
    result = run(owner_conn, feed(tmp_path / "f.tsv", [row], header))
    assert result.error_rows == 0 and result.added == 1
    car5 = vehicles(admin_conn)[vin(5)]
    assert (car5["stock_number"], car5["exterior_color"], car5["interior_color"]) == (
        "S5",
        "Blue",
        "Black Leather",
    )
    assert (car5["body_style"], car5["fuel_type"], car5["drivetrain"], car5["trim"]) == (
        "Truck",
        "Gasoline",
        "4WD",
        "XLT",
    )
    assert car5["mileage"] == 12345 and str(car5["msrp"]) == "51000.00"
    assert str(car5["price"]) == "51000.00"  # Price (or MSRP)
    assert car5["extra_attributes"] == {}


def test_price_falls_back_to_msrp_only_when_empty(
    owner_conn: Any, admin_conn: Any, tmp_path: Path
) -> None:
    rows = [car(1, Price="", MSRP="30995"), car(2, Price="28000", MSRP="30995")]
    run(owner_conn, feed(tmp_path / "f.tsv", rows))
    got = vehicles(admin_conn)
    assert str(got[vin(1)]["price"]) == "30995.00"
    assert str(got[vin(2)]["price"]) == "28000.00" and str(got[vin(2)]["msrp"]) == "30995.00"


def test_stock_number_identifies_a_vehicle_without_vin(
    owner_conn: Any, admin_conn: Any, tmp_path: Path
) -> None:
    run(owner_conn, feed(tmp_path / "a.tsv", [car(1, VIN=""), car(2)]))
    result = run(owner_conn, feed(tmp_path / "b.tsv", [car(1, VIN="", Price="9999"), car(2)]))
    assert (result.added, result.updated, result.unchanged) == (0, 1, 1)
    got = vehicles(admin_conn)
    assert got["S0001"]["vin"] is None and str(got["S0001"]["price"]) == "9999.00"
    assert len(got) == 2


def test_features_and_images_become_json_arrays(
    owner_conn: Any, admin_conn: Any, tmp_path: Path
) -> None:
    rows = [
        car(
            1, Features="Sunroof, Heated Seats,Navigation", Images="https://x/1.jpg,https://x/2.jpg"
        ),
        car(2, Features=' Backup Camera ,, "Premium" Audio,  Tow\\Package ,', Images=""),
    ]
    run(owner_conn, feed(tmp_path / "f.tsv", rows))
    got = vehicles(admin_conn)
    assert got[vin(1)]["features"] == ["Sunroof", "Heated Seats", "Navigation"]
    assert got[vin(1)]["images"] == ["https://x/1.jpg", "https://x/2.jpg"]
    assert got[vin(2)]["features"] == ["Backup Camera", '"Premium" Audio', "Tow\\Package"]
    assert got[vin(2)]["images"] == []


def test_unknown_columns_are_preserved(owner_conn: Any, admin_conn: Any, tmp_path: Path) -> None:
    header = HEADER + ["DaysOnLot", "Lot Location", "Notes"]
    rows = [car(1) + ["12", 'North "B" lot', ""], car(2) + ["3", "", "Ünïcode ok"]]
    run(owner_conn, feed(tmp_path / "f.tsv", rows, header))
    got = vehicles(admin_conn)
    assert got[vin(1)]["extra_attributes"] == {"DaysOnLot": "12", "Lot Location": 'North "B" lot'}
    assert got[vin(2)]["extra_attributes"] == {"DaysOnLot": "3", "Notes": "Ünïcode ok"}


def test_full_feed_deactivates_missing_vehicles_with_a_timestamp(
    owner_conn: Any, admin_conn: Any, tmp_path: Path
) -> None:
    run(owner_conn, feed(tmp_path / "a.tsv", [car(1), car(2), car(3), car(4, VIN="")]))
    partial = run(owner_conn, feed(tmp_path / "b.tsv", [car(1)]))
    assert partial.deactivated == 0 and all(v["is_active"] for v in vehicles(admin_conn).values())
    # car 3 is in the feed but with a bad year: it must not be treated as gone
    full = run(owner_conn, feed(tmp_path / "c.tsv", [car(1), car(3, Year="1850")]), full=True)
    assert (full.deactivated, full.unchanged, full.error_rows) == (2, 1, 1)
    got = vehicles(admin_conn)
    for key in (vin(2), "S0004"):
        assert (got[key]["is_active"], got[key]["status"]) == (False, "inactive")
        assert got[key]["deactivated_at"] is not None
    assert got[vin(1)]["is_active"] and got[vin(3)]["is_active"]
    assert got[vin(1)]["deactivated_at"] is None
    log = admin_conn.execute(
        "SELECT deactivated, full_feed FROM inventory_imports ORDER BY id DESC LIMIT 1"
    ).fetchone()
    assert log == (2, True)
    back = run(owner_conn, feed(tmp_path / "d.tsv", [car(1), car(2), car(3)]), full=True)
    assert (back.updated, back.deactivated) == (1, 0)  # car 2 returns; car 4 was already gone
    got = vehicles(admin_conn)
    assert (got[vin(2)]["is_active"], got[vin(2)]["status"], got[vin(2)]["deactivated_at"]) == (
        True,
        "active",
        None,
    )


@pytest.mark.parametrize(
    ("row", "column", "value", "reason"),
    [
        (
            car(1, VIN=vin(1)[:8] + ("1" if vin(1)[8] != "1" else "2") + vin(1)[9:]),
            "VIN",
            None,
            "VIN check digit is",
        ),
        (car(1, VIN="1HGCM82633A00435"), "VIN", "1HGCM82633A00435", "VIN must have 17 characters"),
        (car(1, VIN="1HGCM8263OA004352"), "VIN", None, "VIN contains 'O'"),
        (car(1, Year="1850"), "Year", "1850", "out of range 1980..2028"),
        (car(1, Year="20x1"), "Year", "20x1", "not a whole number"),
        (car(1, Price="call for price"), "Price", "call for price", "not a number"),
        (car(1, Mileage="45k"), "Mileage", "45k", "not a whole number"),
        (car(1, Mileage="-5"), "Mileage", "-5", "out of range 0..2e+06"),
        (car(1, Price="123456789012"), "Price", "123456789012", "too large for the column"),
        (car(1, Make=""), "Make", "", "required value is empty"),
        (car(1)[:6], None, "6 fields", "row has 6 fields, the header has 10"),
        (car(1) + ["extra"], None, "11 fields", "row has 11 fields, the header has 10"),
        (car(1, VIN="", Stock=""), "VIN/Stock", "", "no identity value"),
        (car(7), "VIN/Stock", vin(7), "duplicate of line 2"),
    ],
)
def test_each_bad_row_is_reported_and_good_rows_still_load(
    owner_conn: Any,
    admin_conn: Any,
    tmp_path: Path,
    row: list[str],
    column: str | None,
    value: str | None,
    reason: str,
) -> None:
    result = run(owner_conn, feed(tmp_path / "f.tsv", [car(7), row, car(8)]))
    assert result.added == 2 and result.error_rows == 1
    (error,) = result.errors
    assert (error.line, error.column) == (3, column)
    assert error.reason.startswith(reason), error.reason
    if value is not None:
        assert error.value == value
    assert set(vehicles(admin_conn)) == {vin(7), vin(8)}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        (
            f"{vin(1)}\tS1\tHonda\tAccord\t2021\n{vin(2)}\tS2\tHonda\tCivic\t2020\n",
            "is not a header",
        ),
        ("Make\tModel\tYear\nHonda\tAccord\t2021\n", "no identity column"),
        (
            "VIN\tStock\tModel\tYear\n" + f"{vin(1)}\tS1\tAccord\t2021\n",
            "lacks required column.s. Make",
        ),
    ],
)
def test_file_without_usable_header_changes_nothing(
    owner_conn: Any, admin_conn: Any, tmp_path: Path, text: str, message: str
) -> None:
    run(owner_conn, feed(tmp_path / "seed.tsv", [car(1)]))
    before = vehicles(admin_conn)
    path = tmp_path / "bad.tsv"
    path.write_text(text)
    with pytest.raises(FeedRejected, match=message) as caught:
        run(owner_conn, path, full=True)
    assert caught.value.exit_code == 1 and "\n" not in str(caught.value)
    assert vehicles(admin_conn) == before
    assert admin_conn.execute("SELECT count(*) FROM inventory_imports").fetchone() == (1,)


def test_encodings_line_endings_and_quoting(
    owner_conn: Any, admin_conn: Any, tmp_path: Path
) -> None:
    bom = tmp_path / "bom.tsv"
    bom.write_bytes(
        b"\xef\xbb\xbf" + feed(tmp_path / "x.tsv", [car(1, Model="Citroën C5")]).read_bytes()
    )
    latin = feed(
        tmp_path / "latin.tsv", [car(2, Model="Peugeot 208 Allure Pâle")], encoding="latin-1"
    )
    crlf = feed(tmp_path / "crlf.tsv", [car(3), car(4)], newline="\r\n")
    quoted = tmp_path / "quoted.csv"
    quoted.write_text(
        ",".join(HEADER)
        + "\r\n"
        + f'{vin(5)},S5,"Land Rover","Range Rover, Sport",2022,"12,000","$81,500",,'
        + '"Sunroof, ""Meridian"" Audio","https://x/1.jpg,https://x/2.jpg"\r\n',
        encoding="utf-8",
    )
    for path in (bom, latin, crlf, quoted):
        result = run(owner_conn, path)
        assert result.error_rows == 0, (path.name, result.errors)
    got = vehicles(admin_conn)
    assert (
        got[vin(1)]["model"] == "Citroën C5" and got[vin(2)]["model"] == "Peugeot 208 Allure Pâle"
    )
    assert got[vin(3)]["images"] == ["https://img.example.com/a.jpg"]  # no stray \r
    assert got[vin(4)]["features"] == ["Sunroof", "Heated Seats"]
    five = got[vin(5)]
    assert (five["make"], five["model"], five["mileage"], str(five["price"])) == (
        "Land Rover",
        "Range Rover, Sport",
        12000,
        "81500.00",
    )
    assert five["features"] == ["Sunroof", '"Meridian" Audio']


def test_tenant_isolation(owner_conn: Any, admin_conn: Any, tmp_path: Path) -> None:
    """The same VINs for two dealerships stay two vehicles; a full feed for one never
    touches the other's rows."""
    run(owner_conn, feed(tmp_path / "t2.tsv", [car(1), car(2), car(9)]), tenant=2)
    theirs = vehicles(admin_conn, 2)
    result = run(owner_conn, feed(tmp_path / "t1.tsv", [car(1, Price="1.00")]), tenant=1, full=True)
    assert (result.added, result.deactivated) == (1, 0)
    assert vehicles(admin_conn, 2) == theirs
    assert str(vehicles(admin_conn, 1)[vin(1)]["price"]) == "1.00"
    counts = admin_conn.execute(
        "SELECT dealership_id, count(*) FROM inventory_imports GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert counts == [(1, 1), (2, 1)]


def test_unknown_tenant_fails_cleanly(owner_conn: Any, admin_conn: Any, tmp_path: Path) -> None:
    with pytest.raises(FeedRejected, match="nothing changed"):
        run(owner_conn, feed(tmp_path / "f.tsv", [car(1)]), tenant=999)
    assert admin_conn.execute("SELECT count(*) FROM vehicles").fetchone() == (0,)


def test_json_report_is_serialisable(owner_conn: Any, tmp_path: Path) -> None:
    result = run(owner_conn, feed(tmp_path / "f.tsv", [car(1), car(2, Year="1850")]))
    data = json.loads(json.dumps(result.to_dict()))
    assert data["added"] == 1 and data["errors"] == 1
    assert data["error_report"] == [
        {"line": 3, "column": "Year", "value": "1850", "reason": "out of range 1980..2028"}
    ]


EXTRA_HEADER = HEADER + ["DaysOnLot", "Lot Location", "Ünï", "Zone"]


def _reimport_rows() -> list[list[str]]:
    """Rows whose lists and unknown columns cover what the text comparison has to get right:
    quotes, backslashes, control characters, non-ASCII, odd spacing, empty values, and
    unknown columns whose keys jsonb reorders (by length, then bytes)."""
    return [
        car(1) + ["12", "North lot", "x", "A"],
        car(2, Features='"Premium" Audio, Tow\\Package', Images="") + ["3", "", "ü", ""],
        car(3, Features="Navi\x01gation,  Heated  Seats ,, Sunroof,") + ["", 'Say "hi"', "", "B"],
        car(4, Features="Café, 日本語, a\u00a0b", Images="https://x/1.jpg,https://x/2.jpg")
        + ["", "", "", ""],
        car(5, Features="", Images="https://x/é.jpg") + ["7", "back\\slash", "\x7f", "Z"],
        car(6) + ["9", "South", "y", "C"],
    ]


def test_second_import_compares_lists_and_extras_as_text_and_rewrites_nothing(
    owner_conn: Any, admin_conn: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The staged text rendering of every jsonb column equals the table's jsonb printed as
    text, so unchanged rows are told apart without parsing JSON (and none is rewritten)."""
    path = feed(tmp_path / "f.tsv", _reimport_rows(), EXTRA_HEADER)
    first = run(owner_conn, path)
    assert (first.added, first.error_rows) == (6, 0), first.errors
    before = vehicles(admin_conn)
    assert before[vin(3)]["features"] == ["Navi\x01gation", "Heated  Seats", "Sunroof"]
    assert before[vin(5)]["extra_attributes"] == {
        "DaysOnLot": "7",
        "Lot Location": "back\\slash",
        "Ünï": "\x7f",
        "Zone": "Z",
    }
    mismatches: list[tuple[Any, ...]] = []
    merge = importer._merge

    def spy(conn: Any, *args: Any) -> None:
        mismatches.extend(
            conn.execute(
                "SELECT t.vin, t.features::text, s._text_features, t.images::text, s._text_images,"
                " t.extra_attributes::text, s._text_extra_attributes"
                " FROM vehicles t JOIN slipway_feed_stage s ON t.vin = s.vin"
                " WHERE t.features::text IS DISTINCT FROM s._text_features"
                " OR t.images::text IS DISTINCT FROM s._text_images"
                " OR t.extra_attributes::text IS DISTINCT FROM s._text_extra_attributes"
            ).fetchall()
        )
        merge(conn, *args)

    monkeypatch.setattr(importer, "_merge", spy)
    again = run(owner_conn, path, full=True)
    assert mismatches == []
    assert again.stats() == {
        "added": 0,
        "updated": 0,
        "unchanged": 6,
        "deactivated": 0,
        "errors": 0,
    }
    after = vehicles(admin_conn)
    for key, row in after.items():
        assert (row["xmin"], row["updated_at"]) == (before[key]["xmin"], before[key]["updated_at"])


def test_application_edits_between_imports_are_restored_by_the_next_import(
    owner_conn: Any, admin_conn: Any, tmp_path: Path
) -> None:
    """A row the application changed since the last import differs from the feed, whichever
    column changed (even a jsonb value that is only reordered or emptied): the same file
    again rewrites exactly those rows to what the feed says."""
    path = feed(tmp_path / "f.tsv", _reimport_rows(), EXTRA_HEADER)
    run(owner_conn, path)
    before = vehicles(admin_conn)
    edits = {
        vin(1): 'features = \'["Heated Seats", "Sunroof"]\'',  # reordered
        vin(2): "features = features || '[\"Extra\"]', images = '[\"https://x/9.jpg\"]'",
        vin(3): 'extra_attributes = extra_attributes || \'{"DaysOnLot": "99"}\'',
        vin(4): "extra_attributes = '{}', images = '[]'",
        vin(5): "price = price + 1, make = 'HONDA', year = year - 1",
    }
    for key, change in edits.items():
        admin_conn.execute(f"UPDATE vehicles SET {change} WHERE vin = %s", (key,))
    edited = vehicles(admin_conn)
    for key in edits:
        assert edited[key] != before[key]
    again = run(owner_conn, path)
    assert (again.added, again.updated, again.unchanged) == (0, 5, 1)
    after = vehicles(admin_conn)
    columns = ["make", "year", "price", "features", "images", "extra_attributes", "is_active"]
    for key, row in after.items():
        assert {c: row[c] for c in columns} == {c: before[key][c] for c in columns}, key
    assert after[vin(6)]["xmin"] == before[vin(6)]["xmin"]
    assert all(after[key]["xmin"] != edited[key]["xmin"] for key in edits)
    assert run(owner_conn, path).updated == 0  # and now it is idempotent again


def test_feed_without_the_first_identity_column_is_merged_by_the_next_one(
    owner_conn: Any, admin_conn: Any, tmp_path: Path
) -> None:
    """No VIN column at all: rows are identified by stock number (they were staged under the
    wrong key number, so nothing was added while the stats said "unchanged")."""
    header = ["Stock", "Make", "Model", "Year", "Features"]
    rows = [["S1", "Honda", "Accord", "2021", "Sunroof"], ["S2", "Ford", "F-150", "2020", ""]]
    first = run(owner_conn, feed(tmp_path / "a.tsv", rows, header), full=True)
    assert first.stats() == {
        "added": 2,
        "updated": 0,
        "unchanged": 0,
        "deactivated": 0,
        "errors": 0,
    }
    before = vehicles(admin_conn)
    assert before["S1"]["vin"] is None and before["S1"]["features"] == ["Sunroof"]
    again = run(owner_conn, feed(tmp_path / "a.tsv", rows, header), full=True)
    assert again.stats() == {
        "added": 0,
        "updated": 0,
        "unchanged": 2,
        "deactivated": 0,
        "errors": 0,
    }
    changed = run(
        owner_conn, feed(tmp_path / "b.tsv", [rows[0][:3] + ["2022", ""]], header), full=True
    )
    assert (changed.updated, changed.deactivated) == (1, 1)
    after = vehicles(admin_conn)
    assert (after["S1"]["year"], after["S1"]["features"]) == (2022, [])
    assert after["S2"]["is_active"] is False and after["S1"]["is_active"] is True
