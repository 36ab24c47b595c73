from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Concern


class ConcernForm(forms.Form):
    """What the resident writes; the device or DPIA it is about travels in hidden inputs."""

    category = forms.ChoiceField(
        label=_("What is it about?"),
        choices=Concern.Category.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what your message is about.")},
    )
    description = forms.CharField(
        label=_("Tell us more"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Do not include personal details such as your name or address."),
        error_messages={
            "required": _("Tell us what your question, problem or objection is."),
            "max_length": _("Keep your message under 2,000 characters (it has %(show_value)d)."),
        },
    )
    email = forms.EmailField(
        label=_("E-mail address (optional)"),
        required=False,
        help_text=_(
            "Only if you want updates. We delete it as soon as your concern is closed, and use "
            "it for nothing else."
        ),
        error_messages={
            "invalid": _("Enter an e-mail address like name@example.com, or leave it empty.")
        },
    )
