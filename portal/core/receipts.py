"""Receipt references people can read out on the phone: no 0/O, 1/I/L or U/V confusion."""

from __future__ import annotations

import secrets

RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_receipt(prefix: str) -> str:
    """``prefix`` and 11 random characters (about 54 bits), from one random draw."""
    number = secrets.randbelow(len(RECEIPT_ALPHABET) ** 11)
    digits = []
    for _position in range(11):
        number, digit = divmod(number, len(RECEIPT_ALPHABET))
        digits.append(RECEIPT_ALPHABET[digit])
    return prefix + "".join(digits)
