"""Short device codes: the rules live in :mod:`dtpr_assets.codes`, shared with the mobile app.

Re-exported here so the portal's modules keep importing them from their own app.
"""

from __future__ import annotations

from dtpr_assets.codes import (
    ALPHABET,
    BODY_LENGTH,
    CODE_LENGTH,
    EXAMPLE_CODE,
    check_character,
    explain_code_problem,
    format_code,
    generate_code,
    normalise_code,
)

__all__ = [
    "ALPHABET",
    "BODY_LENGTH",
    "CODE_LENGTH",
    "EXAMPLE_CODE",
    "check_character",
    "explain_code_problem",
    "format_code",
    "generate_code",
    "normalise_code",
]
