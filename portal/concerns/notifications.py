"""E-mails about concerns: staff hear of new ones; residents who asked hear of changes.

A failed e-mail must never lose a concern or stop staff saving one, so sending happens after
the database commit and failures are logged, not raised.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from .models import Concern

logger = logging.getLogger(__name__)


def _base_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def status_url(concern: Concern) -> str:
    return _base_url() + reverse("concerns:status", args=[concern.reference])


def _send_after_commit(subject: str, template: str, context: dict, recipients: list[str]) -> None:
    recipients = [address for address in recipients if address]
    if not recipients:
        return
    body = render_to_string(template, context)

    def send() -> None:
        try:
            send_mail(subject, body, None, recipients)
        except Exception:  # an unreachable mail server must not undo the concern
            logger.exception("Could not send the concern e-mail %r", subject)

    transaction.on_commit(send)


def staff_recipients() -> list[str]:
    """``CONCERNS_EMAIL`` if set, else the council's contact mailbox from its settings."""
    if settings.CONCERNS_EMAIL:
        return [address.strip() for address in settings.CONCERNS_EMAIL.split(",")]
    from portal.core.models import CouncilSettings

    council = CouncilSettings.objects.filter(site__is_default_site=True).first()
    return [council.contact_email] if council and council.contact_email else []


def tell_staff(concern: Concern) -> None:
    admin_url = _base_url() + reverse("wagtailsnippets_concerns_concern:edit", args=[concern.pk])
    _send_after_commit(
        _("New %(kind)s %(reference)s: %(about)s")
        % {
            "kind": _("request") if concern.is_publication_request else _("concern"),
            "reference": concern.reference,
            "about": concern.device.title if concern.device else concern.dpia.title,
        },
        "concerns/email/staff_new.txt",
        {"concern": concern, "admin_url": admin_url},
        staff_recipients(),
    )


def tell_resident_if_changed(concern: Concern) -> None:
    """Called as staff save: e-mail the resident if the status or the public note changed."""
    if not concern.pk or not concern.email:
        return
    from .models import Concern

    before = Concern.objects.filter(pk=concern.pk).values("status", "public_note").first()
    if before is None or (
        before["status"] == concern.status and before["public_note"] == concern.public_note
    ):
        return
    _send_after_commit(
        _("Update on %(reference)s") % {"reference": concern.reference},
        "concerns/email/resident_update.txt",
        {"concern": concern, "status_url": status_url(concern)},
        [concern.email],
    )
