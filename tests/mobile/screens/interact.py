"""Driving the app as a person would, and reading what they would see.

A person finds a button by its words, taps it, types into a box and reads the screen; these
helpers do the same with the widget tree, so tests say ``press(button(app, "Send now"))``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

from .conftest import pump

# How long a test waits for the app's background work (the live server on a busy machine).
# A wait, not a timing assertion: the test fails only if the work never finishes.
PATIENCE_SECONDS = 60.0


def walk(widget: Any) -> Iterator[Any]:
    yield widget
    for child in widget.children:
        yield from walk(child)


def visible(widget: Any) -> bool:
    node = widget
    while node is not None:
        if getattr(node, "opacity", 1) == 0:
            return False
        parent = node.parent
        if parent is node:
            break
        node = parent
    return True


def current_screen(app: Any) -> Any:
    return app.root.current_screen


def texts(app: Any) -> list[str]:
    """Every piece of text on the current screen a person could see, top to bottom."""
    from kivy.uix.label import Label

    pump()  # what was just changed is laid out and drawn before it is read
    found = [
        w
        for w in walk(current_screen(app))
        if isinstance(w, Label) and w.text and visible(w) and w.height > 0
    ]
    found.sort(key=lambda w: -w.to_window(*w.pos)[1])
    return [w.text for w in found]


def screen_text(app: Any) -> str:
    return "\n".join(texts(app))


def button(app: Any, words: str) -> Any:
    """The one visible button on the current screen whose text contains ``words``."""
    from kivy.uix.button import Button

    matches = [
        w
        for w in walk(current_screen(app))
        if isinstance(w, Button) and words in w.text and visible(w) and not w.disabled
    ]
    if len(matches) != 1:
        raise AssertionError(
            f"Expected one button with {words!r}, found {len(matches)}: "
            f"{[w.text for w in walk(current_screen(app)) if isinstance(w, Button)]}"
        )
    return matches[0]


def press(widget: Any) -> None:
    """A tap, as Kivy handles a finger's touch down and up (a toggle button changes state)."""
    widget._do_press()
    widget.dispatch("on_press")
    widget._do_release()
    widget.dispatch("on_release")
    pump()


def type_into(widget: Any, text: str) -> None:
    """Replace what a text box holds with ``text``, as if typed."""
    widget.focus = True
    widget.text = ""
    widget.insert_text(text)
    widget.focus = False
    pump()


def wait_until(condition: Callable[[], Any], what: str) -> Any:
    """Let Kivy run (so background answers arrive) until ``condition`` holds."""
    deadline = time.monotonic() + PATIENCE_SECONDS
    while time.monotonic() < deadline:
        pump(2)
        result = condition()
        if result:
            return result
        time.sleep(0.02)
    raise AssertionError(f"Gave up waiting for {what}")


def sticking_out(app: Any) -> list[str]:
    """Visible text or buttons on the current screen that reach past the window's sides, or whose
    wrapped text is wider than the widget (a person would see it cut off)."""
    from kivy.core.window import Window
    from kivy.uix.label import Label

    pump()
    found = []
    for widget in walk(current_screen(app)):
        if not isinstance(widget, Label) or not widget.text or not visible(widget):
            continue
        left, _ = widget.to_window(widget.x, widget.y)
        if left < -0.5 or left + widget.width > Window.width + 0.5:
            found.append(f"{widget.text[:40]!r} spans {left:.0f} to {left + widget.width:.0f}")
        elif widget.texture_size[0] > widget.width + 0.5:
            found.append(f"{widget.text[:40]!r} is wider than its box")
    return found
