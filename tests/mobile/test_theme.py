"""The app's colours are readable: every text colour on every background it is used on reaches
4.5:1 (WCAG 2.2 AA for normal text), and the sizes keep to the brief's floor."""

from __future__ import annotations

import pytest

from mobile import theme


@pytest.mark.parametrize(
    ("use", "text", "background"),
    theme.TEXT_ON_BACKGROUND,
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_text_is_readable_on_its_background(use, text, background):
    assert theme.contrast_ratio(text, background) >= 4.5, use


def test_the_contrast_formula_gives_the_known_answers():
    black, white = theme.hex_colour("#000000"), theme.hex_colour("#ffffff")
    assert theme.contrast_ratio(black, white) == pytest.approx(21.0)
    assert theme.contrast_ratio(white, white) == pytest.approx(1.0)
    # WCAG's own example of a grey just passing on white: #767676 is 4.54:1.
    assert theme.contrast_ratio(theme.hex_colour("#767676"), white) == pytest.approx(4.54, abs=0.01)


def test_sizes_keep_to_the_floor():
    assert float(theme.TOUCH_TARGET.removesuffix("dp")) >= 48
    assert float(theme.PRIMARY_BUTTON_HEIGHT.removesuffix("dp")) >= 48
    for size in (theme.TEXT_SIZE, theme.TEXT_LARGE, theme.TITLE_SIZE, theme.HEADING_SIZE):
        assert float(size.removesuffix("sp")) >= 16
