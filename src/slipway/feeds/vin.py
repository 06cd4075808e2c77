"""Vehicle Identification Number checks (ISO 3779, with the North American check digit).

Position 9 of a 17-character VIN is a check digit: each character is transliterated to a
number, multiplied by its position's weight, and the sum modulo 11 is the digit ("X" for 10).
I, O and Q never appear in a VIN (they look like 1 and 0).
"""

from __future__ import annotations

from operator import mul

VIN_LENGTH = 17
WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
_LETTER_VALUES = (1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9)
VALUES: dict[str, int] = {str(d): d for d in range(10)} | dict(zip(_LETTERS, _LETTER_VALUES))


def check_digit(vin: str) -> str:
    """The check digit a VIN must carry at position 9 (raises KeyError on a forbidden character)."""
    total = sum(map(mul, map(VALUES.__getitem__, vin), WEIGHTS))
    rest = total % 11
    return "X" if rest == 10 else str(rest)


def vin_problem(vin: str) -> str | None:
    """Why `vin` (already upper-cased) is not a valid VIN, or None when it is."""
    if len(vin) != VIN_LENGTH:
        return f"VIN must have {VIN_LENGTH} characters, not {len(vin)}"
    try:
        expected = check_digit(vin)
    except KeyError:
        bad = next(c for c in vin if c not in VALUES)
        return f"VIN contains {bad!r} (only digits and letters except I, O, Q)"
    if vin[8] != expected:
        return f"VIN check digit is {vin[8]!r}, expected {expected!r}"
    return None


def with_check_digit(vin17: str) -> str:
    """`vin17` with position 9 replaced by its correct check digit (for generators and tests)."""
    body = vin17[:8] + "0" + vin17[9:]
    return body[:8] + check_digit(body) + body[9:]
