"""Short device codes such as ``K7Q-29XG``, printed under the QR code on street signs.

The alphabet leaves out characters people confuse on a weathered sign (0/O, 1/I/L), and the
last character is a check character: with 31 symbols (a prime) and distinct weights, any single
mistyped character and any swap of two neighbours is caught.

Shared by the portal (which issues codes and answers ``/d/<code>``) and the mobile app (which
checks a typed or scanned code before asking the server), so both agree on what a code is.
"""

from __future__ import annotations

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
BODY_LENGTH = 6
CODE_LENGTH = BODY_LENGTH + 1
EXAMPLE_CODE = "K7Q-29XG"
_VALUE = {character: index for index, character in enumerate(ALPHABET)}

# Characters left out of the alphabet, what they are called, and what was probably printed.
_LEFT_OUT: dict[str, tuple[str, str]] = {
    "O": ("the letter O", "a Q or a D"),
    "0": ("the number 0", "a Q or a D"),
    "I": ("the letter I", "a J or a 7"),
    "1": ("the number 1", "a 7 or a J"),
    "L": ("the letter L", "a 4 or a 7"),
}


def check_character(body: str) -> str:
    total = sum((position + 1) * _VALUE[character] for position, character in enumerate(body))
    return ALPHABET[total % len(ALPHABET)]


def format_code(raw: str) -> str:
    return f"{raw[:3]}-{raw[3:]}"


def generate_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return format_code(body + check_character(body))


def _compact(typed: str) -> str:
    """Upper case with spaces, dashes and other punctuation taken out."""
    return "".join(character for character in typed.upper() if character.isalnum())


def normalise_code(typed: str) -> str | None:
    """Return the canonical code for what someone typed, or None if it cannot be one.

    Accepts lower case, spaces and missing or extra dashes.
    """
    compact = _compact(typed)
    if len(compact) != CODE_LENGTH or any(c not in _VALUE for c in compact):
        return None
    body, check = compact[:BODY_LENGTH], compact[BODY_LENGTH]
    if check_character(body) != check:
        return None
    return format_code(compact)


def explain_code_problem(typed: str) -> str | None:
    """Why ``typed`` is not a valid code, in a sentence for a person; None when it is valid.

    Characters that codes never use come first (they say exactly what to look at again), then
    the length, then the check character.
    """
    compact = _compact(typed)
    if not compact:
        return f"Type the code printed under the QR code, like {EXAMPLE_CODE}."
    unused = list(dict.fromkeys(c for c in compact if c not in _VALUE))
    if unused:
        return " ".join(_explain_unused(character) for character in unused)
    if len(compact) != CODE_LENGTH:
        return (
            f"Codes have {CODE_LENGTH} characters, like {EXAMPLE_CODE}; you typed {len(compact)}."
        )
    if normalise_code(compact) is None:
        return (
            "This code doesn't check out: one character may be mistyped. "
            "Look again at the code under the QR code."
        )
    return None


def _explain_unused(character: str) -> str:
    if character in _LEFT_OUT:
        name, probably = _LEFT_OUT[character]
        return f"Codes never use {name} (it is too easily misread): it is probably {probably}."
    return f"Codes use only the letters A to Z and the numbers 2 to 9, not \u201c{character}\u201d."
