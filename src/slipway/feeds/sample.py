"""A deterministic generator of realistic dealership inventory feeds (seed 001's TSV format).

Used for the sample files shipped in examples/rylie/data (`python -m slipway.feeds.sample`)
and by bench/feedgen.py for million-row feeds. Every VIN is unique and carries a correct
ISO 3779 check digit; `bad_rows` appends the mistakes real feeds contain.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from slipway.feeds.vin import VALUES, with_check_digit

HEADER = (
    "VIN", "Stock", "Make", "Model", "Year", "Trim", "ExteriorColor", "InteriorColor",
    "Mileage", "Price", "MSRP", "BodyStyle", "Transmission", "Engine", "FuelType",
    "Drivetrain", "Features", "Images", "DaysOnLot",
)  # fmt: skip

# make: (WMI, [(model, body, base MSRP, trims, engines, fuel, drivetrains)])
CATALOG: dict[str, tuple[str, list[tuple[str, str, int, list[str], list[str], str, list[str]]]]] = {
    "Honda": ("1HG", [
        ("Accord", "Sedan", 27895, ["LX", "Sport", "EX-L", "Touring"], ["1.5L I4 Turbo", "2.0L Hybrid"], "Gasoline", ["FWD"]),
        ("Civic", "Sedan", 23950, ["LX", "Sport", "EX", "Touring"], ["2.0L I4", "1.5L I4 Turbo"], "Gasoline", ["FWD"]),
        ("CR-V", "SUV", 29500, ["LX", "EX", "EX-L", "Sport Touring"], ["1.5L I4 Turbo"], "Gasoline", ["FWD", "AWD"]),
        ("Pilot", "SUV", 39900, ["Sport", "EX-L", "TrailSport", "Elite"], ["3.5L V6"], "Gasoline", ["AWD"]),
    ]),
    "Toyota": ("4T1", [
        ("Camry", "Sedan", 26420, ["LE", "SE", "XLE", "XSE"], ["2.5L I4", "2.5L Hybrid"], "Gasoline", ["FWD", "AWD"]),
        ("RAV4", "SUV", 28475, ["LE", "XLE", "Adventure", "Limited"], ["2.5L I4"], "Gasoline", ["FWD", "AWD"]),
        ("Tacoma", "Truck", 31500, ["SR", "SR5", "TRD Sport", "TRD Off-Road"], ["2.4L I4 Turbo"], "Gasoline", ["RWD", "4WD"]),
        ("Highlander", "SUV", 39520, ["LE", "XLE", "Limited", "Platinum"], ["2.4L I4 Turbo", "2.5L Hybrid"], "Hybrid", ["FWD", "AWD"]),
    ]),
    "Ford": ("1FT", [
        ("F-150", "Truck", 36965, ["XL", "XLT", "Lariat", "King Ranch"], ["2.7L V6 EcoBoost", "5.0L V8"], "Gasoline", ["RWD", "4WD"]),
        ("Explorer", "SUV", 38245, ["Base", "XLT", "ST-Line", "Platinum"], ["2.3L I4 EcoBoost"], "Gasoline", ["RWD", "4WD"]),
        ("Mustang", "Coupe", 32515, ["EcoBoost", "GT", "Dark Horse"], ["2.3L I4 EcoBoost", "5.0L V8"], "Gasoline", ["RWD"]),
        ("Escape", "SUV", 28995, ["Active", "ST-Line", "Platinum"], ["1.5L I3 EcoBoost", "2.5L Hybrid"], "Gasoline", ["FWD", "AWD"]),
    ]),
    "Chevrolet": ("1G1", [
        ("Silverado 1500", "Truck", 37645, ["WT", "LT", "RST", "High Country"], ["2.7L I4 Turbo", "5.3L V8"], "Gasoline", ["RWD", "4WD"]),
        ("Equinox", "SUV", 28600, ["LS", "LT", "RS", "Premier"], ["1.5L I4 Turbo"], "Gasoline", ["FWD", "AWD"]),
        ("Malibu", "Sedan", 25100, ["LS", "RS", "LT", "2LT"], ["1.5L I4 Turbo"], "Gasoline", ["FWD"]),
        ("Bolt EV", "Hatchback", 26500, ["1LT", "2LT"], ["Electric 200 hp"], "Electric", ["FWD"]),
    ]),
    "Nissan": ("1N4", [
        ("Altima", "Sedan", 26370, ["S", "SV", "SR", "SL"], ["2.5L I4"], "Gasoline", ["FWD", "AWD"]),
        ("Rogue", "SUV", 28850, ["S", "SV", "SL", "Platinum"], ["1.5L I3 Turbo"], "Gasoline", ["FWD", "AWD"]),
    ]),
    "Hyundai": ("5NP", [
        ("Elantra", "Sedan", 21625, ["SE", "SEL", "Limited", "N Line"], ["2.0L I4"], "Gasoline", ["FWD"]),
        ("Tucson", "SUV", 28585, ["SE", "SEL", "XRT", "Limited"], ["2.5L I4", "1.6L Hybrid"], "Gasoline", ["FWD", "AWD"]),
    ]),
    "Subaru": ("4S4", [
        ("Outback", "Wagon", 29070, ["Base", "Premium", "Limited", "Wilderness"], ["2.5L H4", "2.4L H4 Turbo"], "Gasoline", ["AWD"]),
        ("Forester", "SUV", 28495, ["Base", "Premium", "Sport", "Touring"], ["2.5L H4"], "Gasoline", ["AWD"]),
    ]),
    "Jeep": ("1C4", [
        ("Wrangler", "SUV", 33190, ["Sport", "Sahara", "Rubicon"], ["3.6L V6", "2.0L I4 Turbo"], "Gasoline", ["4WD"]),
        ("Grand Cherokee", "SUV", 38985, ["Laredo", "Limited", "Overland", "Summit"], ["3.6L V6"], "Gasoline", ["RWD", "4WD"]),
    ]),
    "Tesla": ("5YJ", [
        ("Model 3", "Sedan", 40630, ["Rear-Wheel Drive", "Long Range", "Performance"], ["Electric"], "Electric", ["RWD", "AWD"]),
        ("Model Y", "SUV", 44990, ["Long Range", "Performance"], ["Electric"], "Electric", ["AWD"]),
    ]),
    "BMW": ("WBA", [
        ("3 Series", "Sedan", 44500, ["330i", "330i xDrive", "M340i"], ["2.0L I4 Turbo", "3.0L I6 Turbo"], "Gasoline", ["RWD", "AWD"]),
        ("X5", "SUV", 65200, ["sDrive40i", "xDrive40i", "M60i"], ["3.0L I6 Turbo", "4.4L V8 Turbo"], "Gasoline", ["RWD", "AWD"]),
    ]),
}  # fmt: skip
COLORS = ["Black", "White", "Silver", "Gray", "Blue", "Red", "Pearl White", "Midnight Blue",
          "Magnetic Gray", "Forest Green", "Sonic Gray Pearl", "Burgundy"]  # fmt: skip
INTERIORS = ["Black Cloth", "Black Leather", "Gray Cloth", "Ivory Leather", "Saddle Brown Leather"]
FEATURES = ["Backup Camera", "Bluetooth", "Apple CarPlay", "Android Auto", "Heated Seats",
            "Sunroof", "Navigation", "Blind Spot Monitor", "Adaptive Cruise Control",
            "Lane Keep Assist", "Leather Seats", "Remote Start", "Third Row Seating",
            "Tow Package", "Premium Audio", "Wireless Charging", "Keyless Entry"]  # fmt: skip
_YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY123456789"  # model year 2010 = A, 2018 = J, 2024 = R ...
_VDS = [c for c in VALUES if c.isalpha()] + list("0123456789")


def year_code(year: int) -> str:
    return _YEAR_CODES[(year - 2010) % 30]


def make_vin(rng: random.Random, wmi: str, year: int, serial: int) -> str:
    """A plausible VIN: WMI, random descriptor, check digit, year code, plant, serial."""
    vds = "".join(rng.choice(_VDS) for _ in range(5))
    plant = rng.choice("ABCFHKLMNPRSTUWZ0123456789")
    return with_check_digit(f"{wmi}{vds}0{year_code(year)}{plant}{serial % 1_000_000:06d}")


def vehicles(count: int, seed: int = 7, dealer: str = "sunset-motors") -> Iterator[list[str]]:
    """`count` realistic, valid feed rows (unique VINs and stock numbers)."""
    rng = random.Random(seed)
    makes = list(CATALOG)
    for n in range(count):
        make = makes[n % len(makes)] if n < len(makes) else rng.choice(makes)
        wmi, models = CATALOG[make]
        model, body, base, trims, engines, fuel, drives = rng.choice(models)
        year = rng.choice((2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026, 2026, 2027))
        trim_no = rng.randrange(len(trims))
        new = year >= 2026
        msrp = round(base * (1 + 0.12 * trim_no) * (1 + 0.03 * (year - 2024)), -1) + 5
        miles = rng.randrange(3, 60) if new else rng.randrange(6000, 14000) * (2027 - year)
        price = (
            msrp if new else max(6995, round(msrp * (0.93 ** (2027 - year)) - miles * 0.05, -2) - 5)
        )
        stock = f"{'N' if new else 'U'}{year % 100:02d}{n + 1:07d}"
        feats = rng.sample(FEATURES, rng.randint(3, 7))
        images = [
            f"https://cdn.{dealer}.example.com/inventory/{stock}/{i}.jpg"
            for i in range(1, rng.randint(2, 6))
        ]
        yield [
            make_vin(rng, wmi, year, n), stock, make, model, str(year), trims[trim_no],
            rng.choice(COLORS), rng.choice(INTERIORS), str(miles), f"{price:.2f}",
            f"{msrp:.2f}", body, "Automatic" if rng.random() < 0.93 else "Manual",
            rng.choice(engines), fuel, rng.choice(drives), ", ".join(feats), ",".join(images),
            str(rng.randrange(1, 120)),
        ]  # fmt: skip


def bad_rows(rng: random.Random, good: list[list[str]]) -> list[tuple[str, list[str]]]:
    """The mistakes real feeds contain, each as (what is wrong, row)."""

    def like(i: int, **change: str) -> list[str]:
        row = list(good[i])
        for name, value in change.items():
            row[HEADER.index(name)] = value
        return row

    vin = good[3][0]
    wrong = "0" if vin[8] != "0" else "1"
    return [
        ("VIN check digit wrong", like(3, VIN=vin[:8] + wrong + vin[9:], Stock="U19BAD0001")),
        ("year 1850", like(5, VIN=good[5][0][:-6] + "999991", Stock="U19BAD0002", Year="1850")),
        ("price 'call for price'", like(7, VIN=good[7][0][:-6] + "999992", Stock="U19BAD0003", Price="call for price", MSRP="")),
        ("short row", like(9, VIN=good[9][0][:-6] + "999994", Stock="U19BAD0004")[:11]),
        ("no VIN and no stock number", like(11, VIN="", Stock="")),
        ("mileage not a number", like(13, VIN=good[13][0][:-6] + "999993", Stock="U19BAD0005", Mileage="45k")),
    ]  # fmt: skip


def _fix_vins(rows: list[list[str]]) -> None:
    for row in rows:
        if len(row[0]) == 17:
            row[0] = with_check_digit(row[0]) if row[1] != "U19BAD0001" else row[0]


def write_tsv(path: Path, rows: Iterator[list[str]] | list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("\t".join(HEADER) + "\n")
        for row in rows:
            out.write("\t".join(row) + "\n")


def sample_rows(count: int = 300, seed: int = 7) -> list[list[str]]:
    """The shipped sample: `count` good vehicles (a few identified by stock number only,
    a few priced by MSRP only) with the bad rows spread through the file."""
    rng = random.Random(seed + 1)
    good = list(vehicles(count, seed))
    for i in range(20, count, 97):  # stock number as the only identity
        good[i][0] = ""
    for i in range(15, count, 61):  # no Price: falls back to MSRP
        good[i][HEADER.index("Price")] = ""
    bad = bad_rows(rng, good)
    _fix_vins([row for _, row in bad])
    rows = list(good)
    for n, (_, row) in enumerate(bad):
        rows.insert(40 + n * 45, row)
    return rows


def write_email(path: Path, tsv: Path, sent: datetime) -> None:
    """A realistic DMS export email carrying the feed as a base64 TSV attachment."""
    msg = EmailMessage()
    msg["From"] = "DealerSync Inventory Export <exports@dealersync.example.net>"
    msg["To"] = "inventory@sunset-motors.rylie.example.com"
    msg["Subject"] = f"Daily inventory export - Sunset Motors - {sent:%Y-%m-%d}"
    msg["Date"] = format_datetime(sent)
    msg["Message-ID"] = f"<export-{sent:%Y%m%d}-1042@dealersync.example.net>"
    msg.set_content(
        "Hello,\n\nAttached is today's inventory export for Sunset Motors (dealer code SM-1042).\n"
        "Format: tab-separated values, UTF-8, one vehicle per line.\n\n"
        "This message was generated automatically; please do not reply.\n-- DealerSync\n"
    )
    msg.add_attachment(
        tsv.read_bytes(), maintype="text", subtype="tab-separated-values",
        filename=f"inventory_SM-1042_{sent:%Y%m%d}.tsv", cte="base64",
    )  # fmt: skip
    msg.set_boundary("=_slipway_sample_boundary_1042")  # fixed: the file is reproducible
    path.write_bytes(bytes(msg))


def main() -> None:
    data = Path(__file__).resolve().parents[1] / "examples" / "rylie" / "data"
    tsv = data / "inventory_feed.tsv"
    write_tsv(tsv, sample_rows())
    write_email(data / "inventory_feed.eml", tsv, datetime(2026, 11, 2, 6, 15, tzinfo=UTC))
    print(f"wrote {tsv} and {tsv.with_suffix('.eml')}")


if __name__ == "__main__":
    main()
