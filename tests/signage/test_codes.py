from hypothesis import given
from hypothesis import strategies as st

from portal.signage.codes import (
    ALPHABET,
    check_character,
    format_code,
    generate_code,
    normalise_code,
)


def test_generated_codes_use_only_unambiguous_characters_and_are_valid():
    for _ in range(200):
        code = generate_code()
        assert len(code) == 8
        assert code[3] == "-"
        assert not set(code.replace("-", "")) & set("0O1IL")
        assert normalise_code(code) == code


def test_typed_variations_of_a_code_are_accepted():
    code = generate_code()
    compact = code.replace("-", "")
    assert normalise_code(code.lower()) == code
    assert normalise_code(compact) == code
    assert normalise_code(f" {compact[:2]} {compact[2:5]} {compact[5:]} ") == code
    assert normalise_code(f"{compact[:3]}--{compact[3:]}") == code


body = st.text(alphabet=ALPHABET, min_size=6, max_size=6)


@given(body=body, position=st.integers(0, 6), replacement=st.sampled_from(ALPHABET))
def test_any_single_mistyped_character_is_caught(body, position, replacement):
    code = body + check_character(body)
    if code[position] == replacement:
        return
    mistyped = code[:position] + replacement + code[position + 1 :]
    assert normalise_code(mistyped) is None


@given(body=body, position=st.integers(0, 5))
def test_swapping_two_neighbouring_characters_is_caught(body, position):
    code = body + check_character(body)
    if code[position] == code[position + 1]:
        return
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
    assert normalise_code(swapped) is None


def test_codes_with_wrong_length_or_characters_are_refused():
    assert normalise_code("") is None
    assert normalise_code("ABC-DEF") is None
    assert normalise_code("ABC-DEFGH") is None
    assert normalise_code(format_code("ABCDE0" + "2")) is None
