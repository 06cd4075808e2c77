"""Reading feed files (encodings, delimiters, email) and converting rows (no database)."""

from __future__ import annotations

import io
from email.message import EmailMessage
from pathlib import Path

import pytest

from slipway.feeds.checks import DbType
from slipway.feeds.errors import FeedRejected
from slipway.feeds.header import plan_header
from slipway.feeds.mapping import load_mapping
from slipway.feeds.reader import open_feed, records, sniff_delimiter, sniff_encoding
from slipway.feeds.rows import RowConverter
from slipway.feeds.sample import HEADER, bad_rows, sample_rows, vehicles
from slipway.feeds.vin import vin_problem

MAPPING = (
    Path(__file__).parents[3] / "src" / "slipway" / "examples" / "rylie" / "feeds" / "vehicles.toml"
)
TYPES = {
    "price": DbType("numeric(12,2)", None, 12, 2),
    "msrp": DbType("numeric(12,2)", None, 12, 2),
    "year": DbType("integer"),
    "mileage": DbType("integer"),
}


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("Citroën".encode(), "utf-8"),
        (b"\xef\xbb\xbfVIN", "utf-8-sig"),
        ("Pâle".encode("latin-1"), "cp1252"),
        (b"caf\xe9 \x81", "latin-1"),  # 0x81 is undefined in cp1252
        ("VIN".encode("utf-16"), "utf-16"),
    ],
)
def test_sniff_encoding(data: bytes, encoding: str) -> None:
    assert sniff_encoding(io.BytesIO(data))[0] == encoding


def test_sniff_flags_nul_and_quotes() -> None:
    assert sniff_encoding(io.BytesIO(b'a\x00b"c'))[1:] == (True, True)
    assert sniff_encoding(io.BytesIO(b"a\tb"))[1:] == (False, False)


@pytest.mark.parametrize(
    ("line", "sep"),
    [("VIN\tMake", "\t"), ("VIN,Make", ","), ("VIN;Make", ";"), ("VIN|Make", "|"), ("VIN", "\t")],
)
def test_sniff_delimiter(line: str, sep: str) -> None:
    assert sniff_delimiter(line) == sep


def read(path: Path) -> list[tuple[int, list[str]]]:
    return list(records(open_feed(path)))


def test_records_number_lines_skip_blanks_and_parse_quotes(tmp_path: Path) -> None:
    plain = tmp_path / "p.tsv"
    plain.write_bytes(b"A\tB\r\n1\t2\r\n\r\n3\t4\x00\r\n")
    assert read(plain) == [(0, ["A", "B"]), (2, ["1", "2"]), (4, ["3", "4"])]
    quoted = tmp_path / "q.csv"
    quoted.write_text('A,B\n"x, ""y""","multi\nline"\nz,w\n')
    assert read(quoted) == [(0, ["A", "B"]), (2, ['x, "y"', "multi\nline"]), (4, ["z", "w"])]


def test_email_attachment_is_found_and_missing_one_rejected(tmp_path: Path) -> None:
    msg = EmailMessage()
    msg["Subject"] = "inventory"
    msg.set_content("see attached")
    msg.add_attachment(
        b"VIN\tMake\n1\tHonda\n",
        maintype="text",
        subtype="tab-separated-values",
        filename="inv.tsv",
        cte="base64",
    )
    (tmp_path / "a.eml").write_bytes(bytes(msg))
    feed = open_feed(tmp_path / "a.eml")
    assert feed.name.endswith(": inv.tsv")
    assert list(records(feed)) == [(0, ["VIN", "Make"]), (2, ["1", "Honda"])]
    bare = EmailMessage()
    bare.set_content("no attachment")
    (tmp_path / "b.eml").write_bytes(bytes(bare))
    with pytest.raises(FeedRejected, match="no TSV or CSV attachment"):
        open_feed(tmp_path / "b.eml")
    with pytest.raises(FeedRejected, match="does not exist"):
        open_feed(tmp_path / "c.tsv")


def converter(header: list[str], keep_seen: bool = False) -> RowConverter:
    plan = plan_header(load_mapping(MAPPING), header, "f")
    return RowConverter(plan, TYPES, "extra_attributes", this_year=2026, keep_seen=keep_seen)


def test_good_row_passes_through_raw_with_key_and_ok() -> None:
    conv = converter(["VIN", "Stock", "Make", "Model", "Year", "Lot"])
    line = conv.convert(2, ["1HGCM82633A004352", "S1", "Honda", "Accord", "2021", "North"])
    assert line == "1\tt\t1HGCM82633A004352\tS1\tHonda\tAccord\t2021\tNorth\n"
    assert (
        conv.convert(3, ["", "S2", "Honda", "Civic", "2020", ""])
        == "2\tt\t\tS2\tHonda\tCivic\t2020\t\n"
    )
    assert [s.name for s in conv.staged][-1] == "extra_attributes"


def test_values_are_trimmed_normalised_and_escaped() -> None:
    conv = converter(["VIN", "Make", "Model", "Year", "Notes"])
    line = conv.convert(2, [" 1hgcm82633a004352 ", "Honda ", "Acc\\ord", "2021", 'say "hi"'])
    assert line == '1\tt\t1HGCM82633A004352\tHonda\tAcc\\\\ord\t2021\tsay \\\\"hi\\\\"\n'


def test_bad_rows_collect_errors_and_duplicates_are_refused() -> None:
    conv = converter(["VIN", "Make", "Model", "Year"])
    good = ["1HGCM82633A004352", "Honda", "Accord", "2021"]
    assert conv.convert(2, good) is not None
    assert conv.convert(3, list(good)) is None
    assert conv.convert(4, [""]) is None  # a blank line is not a row
    assert conv.convert(5, ["1HGCM82633A004352", "Honda"]) is None
    assert conv.convert(6, ["1HGCM82643A004352", "", "Accord", "1850"]) is None
    assert (conv.good_rows, conv.bad_rows) == (1, 3)
    assert [(e.line, e.column) for e in conv.errors] == [
        (3, "VIN"),
        (5, None),
        (6, "VIN"),
        (6, "Year"),
        (6, "Make"),
    ]
    assert conv.errors[0].reason == "duplicate of line 2"


def test_full_feed_keeps_identity_of_bad_rows() -> None:
    conv = converter(["VIN", "Make", "Model", "Year"], keep_seen=True)
    line = conv.convert(2, ["1HGCM82633A004352", "Honda", "Accord", "1850"])
    assert line == "1\tf\t1HGCM82633A004352\t\t\t\n"


def test_sample_generator_is_deterministic_with_valid_vins() -> None:
    rows = sample_rows()
    assert rows == sample_rows() and len(rows) == 306
    good = list(vehicles(500))
    assert len({r[0] for r in good}) == 500
    assert all(vin_problem(r[0]) is None and len(r) == len(HEADER) for r in good)
    assert len(bad_rows(__import__("random").Random(1), good)) == 6


def test_check_feed_reports_the_sample_errors_without_a_database() -> None:
    from slipway.feeds.importer import check_feed

    data = MAPPING.parents[1] / "data"
    for name in ("inventory_feed.tsv", "inventory_feed.eml"):
        result = check_feed(load_mapping(MAPPING), data / name)
        assert (result.rows, result.error_rows) == (306, 6)
        assert [e.line for e in result.errors] == [42, 87, 132, 177, 222, 267]


def test_ahead_keeps_order_forwards_errors_and_stops_cleanly() -> None:
    import threading

    from slipway.feeds.importer import ahead

    assert list(ahead(iter(str(i) for i in range(100)))) == [str(i) for i in range(100)]

    def broken():  # type: ignore[no-untyped-def]
        yield "a"
        raise ValueError("bad block")

    with pytest.raises(ValueError, match="bad block"):
        list(ahead(broken()))
    before = threading.active_count()
    endless = ahead(iter(str(i) for i in range(10**9)), depth=2)
    assert next(endless) == "0"
    endless.close()  # the consumer gives up: the producer thread must end
    assert threading.active_count() == before
