"""The app's colours and sizes as Python values, for any kv file: ``#:import theme mobile.theme``.

Colours are RGBA tuples Kivy takes as they are. Every pair of text and background colour the
app uses is listed in ``TEXT_ON_BACKGROUND``; a test checks that each reaches a contrast ratio of
4.5:1 (WCAG 2.2 AA for normal text), so a new colour cannot slip in unreadable.
"""

from __future__ import annotations

Colour = tuple[float, float, float, float]


def hex_colour(code: str) -> Colour:
    """``"#0b5563"`` as Kivy's (red, green, blue, alpha) with each part from 0 to 1."""
    code = code.lstrip("#")
    red, green, blue = (int(code[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return (red, green, blue, 1.0)


# Text and surfaces.
INK = hex_colour("#16202a")  # body text
MUTED = hex_colour("#4a5662")  # secondary text: dates, hints, the status line
PAPER = hex_colour("#ffffff")  # screen background
SURFACE = hex_colour("#eef3f2")  # cards and list rows
LINE = hex_colour("#c9d3d1")  # hairlines between rows (decoration, not text)

# The app's own colour: a deep teal for the top bar and the main action.
BRAND = hex_colour("#0b5563")
BRAND_DARK = hex_colour("#073a44")  # a pressed button
BRAND_TINT = hex_colour("#dcebec")  # secondary buttons' background

# Meaning.
SUCCESS = hex_colour("#1d6b3a")  # sent, with a receipt
WARNING = hex_colour("#7a4a00")  # needs fixing
DANGER = hex_colour("#a3221b")  # refused, erase
DANGER_TINT = hex_colour("#f8e3e1")
WARNING_TINT = hex_colour("#fbefd9")

# Sizes, as strings Kivy converts for the screen's density.
TOUCH_TARGET = "48dp"  # the smallest thing a finger is asked to hit
PRIMARY_BUTTON_HEIGHT = "56dp"
TOP_BAR_HEIGHT = "56dp"
PADDING = "16dp"
SPACING = "12dp"
TEXT_SIZE = "16sp"  # nothing smaller
TEXT_LARGE = "18sp"
HEADING_SIZE = "22sp"
TITLE_SIZE = "20sp"

# (what it is, text colour, background colour): every combination the screens use.
TEXT_ON_BACKGROUND: tuple[tuple[str, Colour, Colour], ...] = (
    ("body text", INK, PAPER),
    ("body text on a card", INK, SURFACE),
    ("secondary text", MUTED, PAPER),
    ("secondary text on a card", MUTED, SURFACE),
    ("top bar title", PAPER, BRAND),
    ("primary button", PAPER, BRAND),
    ("primary button pressed", PAPER, BRAND_DARK),
    ("secondary button", BRAND_DARK, BRAND_TINT),
    ("link-like text", BRAND, PAPER),
    ("sent", SUCCESS, PAPER),
    ("sent on a card", SUCCESS, SURFACE),
    ("needs fixing", WARNING, WARNING_TINT),
    ("needs fixing on paper", WARNING, PAPER),
    ("refused", DANGER, DANGER_TINT),
    ("refused on paper", DANGER, PAPER),
    ("danger button", PAPER, DANGER),
    ("status line", INK, SURFACE),
)


def relative_luminance(colour: Colour) -> float:
    """WCAG 2.2's relative luminance of an opaque sRGB colour."""

    def linear(part: float) -> float:
        return part / 12.92 if part <= 0.04045 else ((part + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(part) for part in colour[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(text: Colour, background: Colour) -> float:
    lighter, darker = sorted(
        (relative_luminance(text), relative_luminance(background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)
