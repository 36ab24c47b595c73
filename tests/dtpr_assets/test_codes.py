"""The device code rules shared by the portal and the app, and the reasons a typed code fails."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dtpr_assets.codes import (
    ALPHABET,
    EXAMPLE_CODE,
    check_character,
    explain_code_problem,
    generate_code,
    normalise_code,
)
from portal.signage import codes as portal_codes


def test_the_portal_uses_the_shared_rules():
    assert portal_codes.normalise_code is normalise_code
    assert portal_codes.generate_code is generate_code
    assert portal_codes.BODY_LENGTH == 6


def test_the_example_code_is_valid_and_the_old_example_is_caught():
    assert normalise_code(EXAMPLE_CODE) == "K7Q-29XG"
    assert explain_code_problem("K7Q-29XG") is None
    assert normalise_code("K7Q-29XM") is None


def test_valid_codes_typed_loosely_have_no_problem():
    code = generate_code()
    assert explain_code_problem(code.lower().replace("-", " ")) is None


def test_wrong_length_says_how_many_characters_a_code_has_and_how_many_were_typed():
    assert explain_code_problem("K7Q-29X") == (
        "Codes have 7 characters, like K7Q-29XG; you typed 6."
    )
    assert "you typed 9" in explain_code_problem("K7Q-29XGGG")


@pytest.mark.parametrize(
    ("typed", "named", "probably"),
    [
        ("K7O-29XG", "the letter O", "a Q or a D"),
        ("K70-29XG", "the number 0", "a Q or a D"),
        ("K7Q-2IXG", "the letter I", "a J or a 7"),
        ("K7Q-21XG", "the number 1", "a 7 or a J"),
        ("K7Q-2LXG", "the letter L", "a 4 or a 7"),
    ],
)
def test_characters_codes_never_use_are_named_with_what_was_probably_meant(typed, named, probably):
    message = explain_code_problem(typed)
    assert f"Codes never use {named}" in message
    assert f"probably {probably}" in message


def test_each_unused_character_is_explained_once():
    message = explain_code_problem("OO0-29XG")
    assert message.count("the letter O") == 1
    assert message.count("the number 0") == 1


def test_other_characters_are_refused_with_the_alphabet_described():
    assert explain_code_problem("K7Q-29Xé") == (
        "Codes use only the letters A to Z and the numbers 2 to 9, not \u201cÉ\u201d."
    )


def test_nothing_typed_asks_for_the_code():
    assert explain_code_problem("  - ") == (
        "Type the code printed under the QR code, like K7Q-29XG."
    )


body = st.text(alphabet=ALPHABET, min_size=6, max_size=6)


@given(body=body, position=st.integers(0, 6), replacement=st.sampled_from(ALPHABET))
def test_any_single_mistyped_character_is_explained_as_not_checking_out(
    body, position, replacement
):
    code = body + check_character(body)
    if code[position] == replacement:
        return
    mistyped = code[:position] + replacement + code[position + 1 :]
    assert explain_code_problem(mistyped) == (
        "This code doesn't check out: one character may be mistyped. "
        "Look again at the code under the QR code."
    )
