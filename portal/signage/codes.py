"""Short device codes such as ``K7Q-29XM``, printed under the QR code on street signs.

The alphabet leaves out characters people confuse on a weathered sign (0/O, 1/I/L), and the
last character is a check character: with 31 symbols (a prime) and distinct weights, any single
mistyped character and any swap of two neighbours is caught.
"""

from __future__ import annotations

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
BODY_LENGTH = 6
_VALUE = {character: index for index, character in enumerate(ALPHABET)}


def check_character(body: str) -> str:
    total = sum((position + 1) * _VALUE[character] for position, character in enumerate(body))
    return ALPHABET[total % len(ALPHABET)]


def format_code(raw: str) -> str:
    return f"{raw[:3]}-{raw[3:]}"


def generate_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return format_code(body + check_character(body))


def normalise_code(typed: str) -> str | None:
    """Return the canonical code for what someone typed, or None if it cannot be one.

    Accepts lower case, spaces and missing or extra dashes.
    """
    compact = "".join(character for character in typed.upper() if character.isalnum())
    if len(compact) != BODY_LENGTH + 1 or any(c not in _VALUE for c in compact):
        return None
    body, check = compact[:BODY_LENGTH], compact[BODY_LENGTH]
    if check_character(body) != check:
        return None
    return format_code(compact)
