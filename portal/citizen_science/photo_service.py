"""Storing a reading's photo: cleaned before anything is written, stored once per client_uuid."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import IO

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .ingestion import new_receipt
from .models import Contributor, Reading, ReadingPhoto
from .photos import clean_photo, thumbnail


@dataclass(frozen=True)
class PhotoOutcome:
    result: str  # "created" or "duplicate"
    photo: ReadingPhoto


class PhotoNotAllowed(LookupError):
    """The reading is unknown, or not this contributor's."""


def store_photo(
    *,
    reading_uuid: uuid.UUID,
    photo_uuid: uuid.UUID,
    upload: IO[bytes],
    contributor: Contributor | None,
) -> PhotoOutcome:
    existing = ReadingPhoto.objects.filter(client_uuid=photo_uuid).first()
    if existing is not None:
        return PhotoOutcome("duplicate", existing)
    reading = Reading.objects.filter(client_uuid=reading_uuid, contributor=contributor).first()
    if reading is None:
        raise PhotoNotAllowed(reading_uuid)
    cleaned = clean_photo(upload)  # raises PhotoRejected with a message that says what to fix
    small = thumbnail(cleaned)
    name = uuid.uuid4().hex
    photo = ReadingPhoto(
        reading=reading,
        client_uuid=photo_uuid,
        receipt=new_receipt(),
        content_type=cleaned.content_type,
        width=cleaned.width,
        height=cleaned.height,
        sha256=cleaned.sha256,
    )
    photo.image.save(f"{name}{cleaned.extension}", ContentFile(cleaned.content), save=False)
    photo.thumbnail.save(f"{name}{small.extension}", ContentFile(small.content), save=False)
    try:
        with transaction.atomic():
            photo.save()
    except IntegrityError:
        # The same photo arrived twice at once: keep the first, drop this copy's files.
        _delete_files(photo)
        return PhotoOutcome("duplicate", ReadingPhoto.objects.get(client_uuid=photo_uuid))
    return PhotoOutcome("created", photo)


def _delete_files(photo: ReadingPhoto) -> None:
    for field in (photo.image, photo.thumbnail):
        if field.name:
            field.storage.delete(field.name)


@receiver(post_delete, sender=ReadingPhoto)
def delete_photo_files(sender: type, instance: ReadingPhoto, **kwargs: object) -> None:
    # Erasure must reach the files too, not just the rows.
    transaction.on_commit(lambda: _delete_files(instance))
