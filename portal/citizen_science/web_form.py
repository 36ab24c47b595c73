"""Logging a reading on the web, for volunteers without the app: /science/<campaign>/log/.

The reading goes through ``ingestion.ingest`` like one sent by the app, so it meets the same
checks and is stored once per client_uuid: the form carries a client_uuid made when it was
first shown, and sending it twice (a double click, a refresh) gives the first receipt again.
After a reading is stored the browser is sent on to the confirmation (POST-redirect-GET), which
reads the receipt from the session: nothing about the reading is put in the address.
"""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _

from portal.core.throttling import DailyAddressThrottle

from .forms import ReadingForm, new_client_token
from .ingestion import Outcome, ingest
from .models import CampaignPage, Reading, ReadingStatus
from .photo_service import PhotoNotAllowed, store_photo
from .photos import PhotoRejected

SESSION_KEY = "citizen_science_web_receipts"
# The photo's own client_uuid follows from the reading's, so a resent form never stores it twice.
PHOTO_NAMESPACE = uuid.UUID("6a1f6c2e-3f0b-4f55-9a53-2d8f0d6c7b11")
DEFAULT_RATE = "30/hour"


class WebReadingThrottle(DailyAddressThrottle):
    """Readings sent from the web form, counted per daily address key as the API counts them.

    DRF's throttle is used directly (the request need not be DRF's), keyed like
    ``api.throttling.WriteThrottle`` so no address is kept. The rate is
    ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["web_readings"]`` when set.
    """

    scope = "web_readings"
    default_rate = DEFAULT_RATE


def log_reading(request: HttpRequest, page: CampaignPage) -> HttpResponse:
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    if request.method != "POST" and "sent" in request.GET:
        return _confirmation(request, page)
    if not page.is_accepting_readings:
        return render(request, "citizen_science/log_reading_closed.html", {"page": page})
    if request.method != "POST":
        form = ReadingForm(campaign=page, initial={"client_uuid": new_client_token(page)})
        return _show_form(request, page, form)

    form = ReadingForm(request.POST, request.FILES, campaign=page)
    if form.is_valid():
        throttle = WebReadingThrottle()
        if not throttle.allow_request(request, None):
            return _too_many(request, page, throttle.wait())
        outcome = ingest([form.as_reading()], None)[0]
        if outcome.result == "rejected":
            form.add_ingestion_errors(outcome.errors)
        else:
            photo = _store_photo(form, outcome)
            _remember(request, page, outcome, photo)
            # 303: the browser fetches the confirmation, and a refresh there sends nothing again.
            response = HttpResponseRedirect(f"{_form_url(request, page)}?sent")
            response.status_code = 303
            return response
    return _show_form(request, page, form)


def _form_url(request: HttpRequest, page: CampaignPage) -> str:
    return page.get_url(request=request) + page.reverse_subpage("log_reading")


def _show_form(request: HttpRequest, page: CampaignPage, form: ReadingForm) -> HttpResponse:
    return render(
        request,
        "citizen_science/log_reading.html",
        {"page": page, "form": form, "error_links": form.error_links() if form.errors else []},
    )


def _too_many(request: HttpRequest, page: CampaignPage, wait: float | None) -> HttpResponse:
    minutes = max(1, round((wait or 60) / 60))
    response = render(
        request,
        "citizen_science/log_reading_too_many.html",
        {"page": page, "minutes": minutes},
        status=429,
    )
    response["Retry-After"] = str(round(wait or 60))
    return response


def _store_photo(form: ReadingForm, outcome: Outcome) -> str:
    """What became of the photo: "stored", "none", or a message saying why it was not kept."""
    upload = form.cleaned_data.get("photo")
    if not upload:
        return "none"
    reading_uuid = uuid.UUID(outcome.client_uuid)
    try:
        store_photo(
            reading_uuid=reading_uuid,
            photo_uuid=uuid.uuid5(PHOTO_NAMESPACE, str(reading_uuid)),
            upload=upload,
            contributor=None,  # web readings have no contributor; only such readings match
        )
    except PhotoRejected as error:  # the form checked it already, so this is rare
        return error.message
    except PhotoNotAllowed:
        # The form was sent again after the app's owner of this client_uuid sent it: unlikely.
        return _("The photo could not be added to this reading.")
    return "stored"


def _remember(request: HttpRequest, page: CampaignPage, outcome: Outcome, photo: str) -> None:
    receipts = dict(request.session.get(SESSION_KEY, {}))
    receipts[str(page.pk)] = {
        "receipt": outcome.receipt,
        "duplicate": outcome.result == "duplicate",
        "photo": photo,
    }
    request.session[SESSION_KEY] = receipts


def _confirmation(request: HttpRequest, page: CampaignPage) -> HttpResponse:
    remembered = request.session.get(SESSION_KEY, {}).get(str(page.pk))
    reading = (
        Reading.objects.filter(campaign=page, receipt=remembered["receipt"])
        .select_related("site")
        .first()
        if remembered
        else None
    )
    if reading is None:
        # An old bookmark, or another browser: offer the form rather than someone's receipt.
        return HttpResponseRedirect(_form_url(request, page))
    return render(
        request,
        "citizen_science/log_reading_sent.html",
        {
            "page": page,
            "reading": reading,
            "duplicate": remembered["duplicate"],
            "photo": remembered["photo"],
            "is_accepted": reading.status == ReadingStatus.ACCEPTED,
            "is_flagged": reading.status == ReadingStatus.FLAGGED,
            "is_rejected": reading.status == ReadingStatus.REJECTED,
        },
    )
