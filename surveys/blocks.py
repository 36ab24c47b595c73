"""The questions a council can ask, as StreamField blocks.

A survey is a list of sections; each section is one page of the web form and holds questions.
Every question and option has a *key*: the stable name its answers are stored and compared
under, across edits and across the waves of a tracker. Left blank, the key is made from the
text; set it by hand before rewording a question that already has answers.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

KEY_HELP = _(
    "Optional. The name answers are stored under, e.g. 'cctv-town-centre'. Made from the text "
    "when blank; set it before rewording a question that has answers, and reuse it in the next "
    "wave of a tracker so the waves can be compared."
)


class OptionBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Answer"), max_length=200)
    key = blocks.CharBlock(label=_("Key"), max_length=60, required=False, help_text=KEY_HELP)

    class Meta:
        icon = "list-ul"
        label = _("Answer option")


def option_key(option: Any) -> str:
    return (option.get("key") or slugify(option.get("label", ""))[:60]).strip("-")


class QuestionBase(blocks.StructBlock):
    key = blocks.CharBlock(label=_("Key"), max_length=60, required=False, help_text=KEY_HELP)
    question = blocks.CharBlock(label=_("Question"), max_length=300)
    hint = blocks.CharBlock(label=_("Hint"), max_length=300, required=False)
    required = blocks.BooleanBlock(
        label=_("An answer is needed"),
        required=False,
        default=False,
        help_text=_("Leave unticked: people may skip questions they would rather not answer."),
    )

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        options = value.get("options")
        if options is not None:
            keys = [option_key(option) for option in options]
            if len(keys) < 2:
                raise StructBlockValidationError(
                    {"options": ValidationError(_("Give at least two answers to choose from."))}
                )
            if len(set(keys)) != len(keys) or not all(keys):
                raise StructBlockValidationError(
                    {
                        "options": ValidationError(
                            _("Two answers have the same key. Give each a different key.")
                        )
                    }
                )
        return value


def _options() -> blocks.ListBlock:
    return blocks.ListBlock(OptionBlock(), label=_("Answers"), min_num=2)


class ScenarioBlock(QuestionBase):
    """A short story of how the council might use data, and whether that is acceptable."""

    vignette = blocks.TextBlock(
        label=_("Scenario"),
        help_text=_("A short, concrete situation in plain words: who does what with which data."),
    )
    conditions = blocks.ListBlock(
        OptionBlock(),
        label=_("Conditions people may attach"),
        help_text=_("e.g. 'An independent audit each year', 'Data deleted after 30 days'."),
        required=False,
    )
    comment_limit = blocks.IntegerBlock(
        label=_("Longest comment, in characters"),
        default=500,
        min_value=0,
        max_value=5000,
        help_text=_("0 for no comment box."),
    )

    class Meta:
        icon = "doc-full"
        label = _("Scenario")


class LikertBlock(QuestionBase):
    """A statement to agree or disagree with, on the usual five-point scale."""

    class Meta:
        icon = "order"
        label = _("Agree or disagree (5 points)")


class SingleChoiceBlock(QuestionBase):
    options = _options()

    class Meta:
        icon = "radio-full"
        label = _("One answer from a list")


class MultipleChoiceBlock(QuestionBase):
    options = _options()
    most_choices = blocks.IntegerBlock(
        label=_("Most answers a person may choose"), required=False, min_value=1
    )

    class Meta:
        icon = "tick"
        label = _("Several answers from a list")


class RankingBlock(QuestionBase):
    options = _options()

    class Meta:
        icon = "list-ol"
        label = _("Put in order")


class FreeTextBlock(QuestionBase):
    limit = blocks.IntegerBlock(
        label=_("Longest answer, in characters"), default=500, min_value=20, max_value=5000
    )

    class Meta:
        icon = "edit"
        label = _("Free text (published only after moderation)")


class Dimension:
    AGE_BAND = "age_band"
    AREA = "area"
    OTHER = "other"


# Census-style bands, written with an en dash as people read them.
DEFAULT_AGE_BANDS = (
    *(f"{low}\u2013{high}" for low, high in ((16, 24), (25, 34), (35, 44), (45, 54), (55, 64))),
    "65\u201374",
    "75+",
)


class DemographicBlock(QuestionBase):
    """About the person answering: age band, area, or another group the council sets.

    Always optional, always with "Prefer not to say". Results are broken down by age band
    and area, and weighted to population margins on them.
    """

    dimension = blocks.ChoiceBlock(
        label=_("Used for"),
        choices=[
            (Dimension.AGE_BAND, _("Age band (results broken down and weighted by it)")),
            (Dimension.AREA, _("Area or ward (results broken down and weighted by it)")),
            (Dimension.OTHER, _("Something else (shown, not used for breakdowns)")),
        ],
        default=Dimension.AGE_BAND,
    )
    options = _options()

    class Meta:
        icon = "group"
        label = _("About you")


class QuestionsBlock(blocks.StreamBlock):
    scenario = ScenarioBlock()
    likert = LikertBlock()
    single_choice = SingleChoiceBlock()
    multiple_choice = MultipleChoiceBlock()
    ranking = RankingBlock()
    free_text = FreeTextBlock()
    demographic = DemographicBlock()


class SectionBlock(blocks.StructBlock):
    """One page of the web form."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=120)
    introduction = blocks.TextBlock(label=_("Introduction"), required=False)
    questions = QuestionsBlock(label=_("Questions"))

    class Meta:
        icon = "form"
        label = _("Section (one page)")
