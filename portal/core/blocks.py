"""StreamField blocks shared by Plainsight's content pages."""

from __future__ import annotations

from typing import ClassVar

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120, label=_("Heading text"))
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Section heading")), ("h3", _("Subsection heading"))],
        default="h2",
        label=_("Level"),
        help_text=_("Use section headings first; subsection headings sit under them."),
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "core/blocks/heading.html"
        preview_value: ClassVar[dict[str, str]] = {"text": "How we use this data", "level": "h2"}
        description = _("A heading that starts a section of the page.")


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120, required=False, label=_("Title"))
    body = blocks.RichTextBlock(features=["bold", "link", "ul"], label=_("Text"))
    tone = blocks.ChoiceBlock(
        choices=[("info", _("Information")), ("warning", _("Important"))],
        default="info",
        label=_("Tone"),
    )

    class Meta:
        icon = "warning"
        label = _("Call-out")
        template = "core/blocks/callout.html"
        preview_value: ClassVar[dict[str, str]] = {
            "title": "Raising a concern",
            "body": "<p>Write to the council's data protection officer.</p>",
            "tone": "info",
        }
        description = _("A highlighted box for something a reader must not miss.")


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        max_length=250,
        label=_("Text alternative"),
        help_text=_("Describe the image for someone who cannot see it."),
    )
    caption = blocks.CharBlock(max_length=250, required=False, label=_("Caption"))

    class Meta:
        icon = "image"
        label = _("Image")
        template = "core/blocks/image.html"
        description = _("An image with a text alternative and an optional caption.")


class ContentStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul", "document-link"],
        label=_("Paragraph"),
        template="core/blocks/paragraph.html",
        icon="pilcrow",
    )
    callout = CalloutBlock()
    image = CaptionedImageBlock()

    class Meta:
        label = _("Page content")
