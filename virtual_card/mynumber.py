"""My Number (個人番号) check digit, MIC ordinance Art. 5 (reference portal-journey.md §4.2).

Why here: profiles must only carry numbers a real card could hold, and test data generators need to make them.
"""

from __future__ import annotations

_WEIGHTS = (2, 3, 4, 5, 6, 7, 2, 3, 4, 5, 6)  # for the 11 digits counted from the right


def check_digit(first_eleven: str) -> int:
    if len(first_eleven) != 11 or not first_eleven.isascii() or not first_eleven.isdigit():
        raise ValueError("need exactly 11 ASCII digits")
    total = sum(int(d) * w for d, w in zip(reversed(first_eleven), _WEIGHTS, strict=True))
    r = total % 11
    return 0 if r <= 1 else 11 - r


def is_valid(number: str) -> bool:
    """12 ASCII digits whose last digit is the check digit of the first eleven."""
    if not isinstance(number, str) or len(number) != 12 or not number.isascii() or not number.isdigit():
        return False
    return check_digit(number[:11]) == int(number[11])


def complete(first_eleven: str) -> str:
    """The 12-digit My Number for 11 given digits."""
    return first_eleven + str(check_digit(first_eleven))
