"""The inputs the reading and survey screens are built from, one kind of answer each.

Each part shows a question's label, hint and the message about its answer (an error in red, or
a warning), and keeps the answer in a Kivy property (``text``, ``selected``, ``order``) so a
screen reads it without knowing how it was given. Layout is in ``form_parts.kv``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import (
    BooleanProperty,
    ListProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.togglebutton import ToggleButton

# Loaded after the app's theme (mobile.app loads it, and screens are imported from there), so
# these rules refine the theme's Label and Button rules rather than being overridden by them.
Builder.load_file(str(Path(__file__).with_suffix(".kv")))


class _NoWidget:
    children: tuple[Any, ...] = ()


_NO_WIDGET = _NoWidget()


class FormPart(BoxLayout):
    """Label, hint and message shared by every part."""

    name = StringProperty("")
    label = StringProperty("")
    hint = StringProperty("")
    error = StringProperty("")
    warning = StringProperty("")

    def show_messages(self, errors: list[str] | None, warnings: list[str] | None = None) -> None:
        self.error = " ".join(errors or ())
        self.warning = " ".join(warnings or ())


def scroll_to_top_of(scroll: Any, widget: Any, *, margin: float = 8) -> None:
    """Scroll so that ``widget``'s top is at the top of the view (``scroll_to`` would only
    bring its bottom into view when it lies below, hiding the question above a message).

    Done two frames on: a message just shown changes the heights of the parts around it, and
    their positions are known only once the layout has settled.
    """

    def scroll_now(_dt: float) -> None:
        content = scroll.children[0] if scroll.children else None
        if content is None or content.height <= scroll.height or widget.parent is None:
            return
        from_top = content.top - widget.top - margin
        scroll.scroll_y = max(0.0, min(1.0, 1 - from_top / (content.height - scroll.height)))

    Clock.schedule_once(lambda _dt: Clock.schedule_once(scroll_now))


class TextField(FormPart):
    """One typed answer; ``limit`` above 0 shows how many characters are left."""

    text = StringProperty("")
    multiline = BooleanProperty(False)
    input_type = StringProperty("text")
    limit = NumericProperty(0)

    def on_text(self, *_args: Any) -> None:
        # A message about an answer goes once the person changes it; saving checks again.
        self.error = self.warning = ""


class MomentField(FormPart):
    """A date and a time typed side by side, with one message for both."""

    date_text = StringProperty("")
    time_text = StringProperty("")

    def on_date_text(self, *_args: Any) -> None:
        self.error = ""

    def on_time_text(self, *_args: Any) -> None:
        self.error = ""


class ChoiceList(FormPart):
    """Options as large toggle buttons: one of them, or (``multiple``) several."""

    choices = ListProperty([])  # [(key, label)]
    selected = ListProperty([])
    multiple = BooleanProperty(False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._build()

    def on_choices(self, *_args: Any) -> None:
        self._build()

    def on_selected(self, *_args: Any) -> None:
        self.error = ""
        for button in self.ids.get("options", _NO_WIDGET).children:
            button.state = "down" if button.key in self.selected else "normal"

    def _build(self) -> None:
        # Properties given to the constructor arrive before the kv rule has made the box.
        if "options" not in self.ids:
            return
        box = self.ids.options
        box.clear_widgets()
        for key, label in self.choices:
            button = ChoiceToggle(key=key, text=label, multiple=self.multiple)
            button.state = "down" if key in self.selected else "normal"
            button.bind(on_release=self._toggled)
            box.add_widget(button)

    def _toggled(self, button: Any) -> None:
        if self.multiple:
            chosen = [key for key in self.selected if key != button.key]
            if button.state == "down":
                chosen.append(button.key)
            self.selected = chosen
        else:
            # Tapping the chosen answer again clears it: every question can be skipped.
            self.selected = [button.key] if button.state == "down" else []

    @property
    def value(self) -> str | None:
        return self.selected[0] if self.selected else None


class ChoiceToggle(ToggleButton):
    """One option: a round mark for "one of these", a square one for "any of these"."""

    key = StringProperty("")
    multiple = BooleanProperty(False)


class RankingField(FormPart):
    """Options put in order by touch: Add moves one to the end of the list, Up and Down move it,
    Remove leaves it unranked."""

    choices = ListProperty([])  # [(key, label)]
    order = ListProperty([])

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._build()

    def on_choices(self, *_args: Any) -> None:
        self._build()

    def on_order(self, *_args: Any) -> None:
        self._build()

    def _label(self, key: str) -> str:
        return dict(self.choices).get(key, key)

    def _build(self) -> None:
        if "ranked" not in self.ids:
            return
        ranked, unranked = self.ids.ranked, self.ids.unranked
        ranked.clear_widgets()
        unranked.clear_widgets()
        for place, key in enumerate(self.order):
            ranked.add_widget(
                RankedRow(
                    key=key,
                    text=f"{place + 1}. {self._label(key)}",
                    first=place == 0,
                    last=place == len(self.order) - 1,
                    field=self,
                )
            )
        for key, label in self.choices:
            if key not in self.order:
                unranked.add_widget(UnrankedRow(key=key, text=label, field=self))

    def add(self, key: str) -> None:
        self.order = [*self.order, key]

    def remove(self, key: str) -> None:
        self.order = [k for k in self.order if k != key]

    def move(self, key: str, step: int) -> None:
        order = list(self.order)
        place = order.index(key)
        target = place + step
        if 0 <= target < len(order):
            order[place], order[target] = order[target], order[place]
            self.order = order


class RankedRow(BoxLayout):
    key = StringProperty("")
    text = StringProperty("")
    first = BooleanProperty(False)
    last = BooleanProperty(False)
    field = ObjectProperty(None)


class UnrankedRow(BoxLayout):
    key = StringProperty("")
    text = StringProperty("")
    field = ObjectProperty(None)


class ScenarioField(FormPart):
    """A scenario: the situation to read, a judgement, conditions (shown only with
    "acceptable, but only with conditions") and a comment where the survey takes one."""

    vignette = StringProperty("")
    judgements = ListProperty([])
    conditions = ListProperty([])
    judgement = StringProperty("")
    chosen_conditions = ListProperty([])
    comment = StringProperty("")
    comment_limit = NumericProperty(0)
    conditional_key = StringProperty("acceptable_with_conditions")

    def on_judgement(self, *_args: Any) -> None:
        self.error = ""

    def on_comment(self, *_args: Any) -> None:
        self.error = ""

    @property
    def value(self) -> dict[str, Any]:
        return {
            "judgement": self.judgement or None,
            "conditions": list(self.chosen_conditions),
            "comment": self.comment,
        }
