"""Pseudonymous contributors: a token shown once, stored only as a hash; export and erasure."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction

from .models import CampaignPage, Consent, Contributor, Reading, ReadingPhoto, ReadingStatus
from .results import refresh_for_readings


def hash_token(token: str) -> str:
    # The token is 256 random bits, so a plain SHA-256 is enough: there is nothing to guess.
    return hashlib.sha256(token.encode()).hexdigest()


def create_contributor() -> tuple[Contributor, str]:
    token = secrets.token_urlsafe(32)
    return Contributor.objects.create(token_hash=hash_token(token)), token


def contributor_for_token(token: str) -> Contributor | None:
    if not token or len(token) > 200:
        return None
    return Contributor.objects.filter(token_hash=hash_token(token)).first()


def give_consent(contributor: Contributor, campaign: CampaignPage) -> Consent:
    consent, _created = Consent.objects.get_or_create(
        contributor=contributor,
        campaign=campaign,
        defaults={"consent_text": campaign.consent_text},
    )
    return consent


def export(contributor: Contributor) -> dict[str, Any]:
    """Everything held about the contributor, exact locations included: it is their own data."""
    readings = Reading.objects.filter(contributor=contributor).select_related("campaign", "site")
    return {
        "contributor": {
            "id": str(contributor.public_id),
            "created_at": contributor.created_at.isoformat(),
        },
        "consents": [
            {
                "campaign": consent.campaign.slug,
                "given_at": consent.given_at.isoformat(),
                "consent_text": consent.consent_text,
            }
            for consent in contributor.consents.select_related("campaign")
        ],
        "readings": [
            {
                "client_uuid": str(reading.client_uuid),
                "receipt": reading.receipt,
                "received_at": reading.received_at.isoformat(),
                "campaign": reading.campaign.slug,
                "site": reading.site.code if reading.site else None,
                "value": reading.value,
                "unit": reading.unit,
                "observed_at": reading.observed_at.isoformat(),
                "exposure_start": reading.exposure_start.isoformat()
                if reading.exposure_start
                else None,
                "latitude": float(reading.latitude) if reading.latitude is not None else None,
                "longitude": float(reading.longitude) if reading.longitude is not None else None,
                "accuracy_m": reading.accuracy_m,
                "notes": reading.notes,
                "status": reading.status,
                "review_reason": reading.review_reason,
            }
            for reading in readings
        ],
    }


@transaction.atomic
def erase(contributor: Contributor, *, keep_readings_anonymised: bool) -> dict[str, int]:
    """Forget the contributor. Their readings go too, or stay with nothing that leads back.

    Kept readings lose the contributor, their notes, their photos and their exact location (a
    site's own position, or none): what remains is a value at a time at a public site.
    """
    readings = Reading.objects.filter(contributor=contributor)
    affected = list(readings.filter(status=ReadingStatus.ACCEPTED).only("campaign", "period_start"))
    # A photo may show the volunteer's home or window, so photos go whichever is chosen.
    for photo in ReadingPhoto.objects.filter(reading__in=readings):
        photo.delete()
    if keep_readings_anonymised:
        kept = readings.update(
            contributor=None, notes="", latitude=None, longitude=None, accuracy_m=None, cell=""
        )
        deleted = 0
    else:
        kept = 0
        deleted = readings.delete()[1].get("citizen_science.Reading", 0)
    contributor.delete()
    refresh_for_readings(affected)
    return {"readings_deleted": deleted, "readings_kept_anonymised": kept}
