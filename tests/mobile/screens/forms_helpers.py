"""Finding and using the reading and survey forms' inputs as a person would."""

from __future__ import annotations

from typing import Any

from .conftest import pump
from .interact import current_screen as screen_of
from .interact import sticking_out as cut_off
from .interact import walk

__all__ = [
    "cut_off",
    "part",
    "row",
    "screen_of",
    "shown",
    "tap",
    "tap_within",
    "type_into",
    "unreadable_buttons",
    "visible_text",
    "walk",
]


def shown(widget: Any) -> bool:
    node = widget
    while node is not None and node is not node.parent:
        if getattr(node, "opacity", 1) == 0 or getattr(node, "disabled", False):
            return False
        node = node.parent
    return True


def visible_text(app: Any) -> str:
    from kivy.uix.label import Label

    labels = [w for w in walk(screen_of(app)) if isinstance(w, Label) and w.text and shown(w)]
    labels.sort(key=lambda w: -w.to_window(*w.pos)[1])
    return "\n".join(w.text for w in labels)


def tap(app: Any, words: str) -> None:
    """Press the one visible button whose text is or contains ``words``."""
    from kivy.uix.button import Button

    buttons = [w for w in walk(screen_of(app)) if isinstance(w, Button) and shown(w)]
    exact = [w for w in buttons if w.text == words]
    matches = exact or [w for w in buttons if words in w.text]
    assert len(matches) == 1, (words, [w.text for w in buttons])
    button = matches[0]
    if hasattr(button, "state") and button.__class__.__name__.endswith("Toggle"):
        button.state = "normal" if button.state == "down" else "down"
    button.dispatch("on_press")
    button.dispatch("on_release")
    pump()


def part(app: Any, name: str) -> Any:
    """The form part (field) called ``name`` on the current screen."""
    from mobile.screens.form_parts import FormPart

    found = [w for w in walk(screen_of(app)) if isinstance(w, FormPart) and w.name == name]
    assert len(found) == 1, (name, len(found))
    return found[0]


def type_into(text_input: Any, text: str) -> None:
    """Select what is there and type over it, as a person does."""
    text_input.focus = True
    text_input.select_all()
    text_input.delete_selection()
    text_input.insert_text(text)
    text_input.focus = False
    pump(2)


def tap_within(container: Any, words: str) -> None:
    """Press the button called ``words`` inside one part of the screen (one row of a list)."""
    from kivy.uix.button import Button

    matches = [w for w in walk(container) if isinstance(w, Button) and w.text == words and shown(w)]
    assert len(matches) == 1, (words, len(matches))
    if matches[0].__class__.__name__.endswith("Toggle"):
        matches[0].state = "normal" if matches[0].state == "down" else "down"
    matches[0].dispatch("on_press")
    matches[0].dispatch("on_release")
    pump()


def row(app: Any, words: str) -> Any:
    """The one row of a ranking whose text contains ``words``."""
    from mobile.screens.form_parts import RankedRow, UnrankedRow

    found = [
        w
        for w in walk(screen_of(app))
        if isinstance(w, RankedRow | UnrankedRow) and words in w.text
    ]
    assert len(found) == 1, (words, len(found))
    return found[0]


def unreadable_buttons(app: Any) -> list[str]:
    """Flat buttons whose words reach less than 4.5:1 against the button (WCAG 2.2 AA)."""
    from kivy.uix.button import Button

    def luminance(colour: Any) -> float:
        def linear(part: float) -> float:
            return part / 12.92 if part <= 0.04045 else ((part + 0.055) / 1.055) ** 2.4

        red, green, blue = (linear(part) for part in colour[:3])
        return 0.2126 * red + 0.7152 * green + 0.0722 * blue

    found = []
    for widget in walk(screen_of(app)):
        if not isinstance(widget, Button) or not widget.text or not shown(widget):
            continue
        if widget.background_normal:
            continue  # only the flat buttons the app draws
        background = widget.background_color
        if getattr(widget, "state", "normal") == "down" and widget.background_down:
            continue
        lighter, darker = sorted((luminance(widget.color), luminance(background)), reverse=True)
        ratio = (lighter + 0.05) / (darker + 0.05)
        if ratio < 4.5:
            found.append(f"{widget.text[:30]!r} at {ratio:.1f}:1")
    return found
