"""Raising a concern about a device, and following what happened to it."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from portal.assessments.models import DpiaPage
from portal.core.visibility import visible_to_public

from .forms import ConcernForm
from .models import Concern
from .services import device_open_to_concerns, receive_concern, too_many_concerns


def _dpia(pk: str) -> DpiaPage | None:
    if not pk.isdigit():
        return None
    return visible_to_public(DpiaPage.objects.live()).filter(pk=pk).first()


# Exempt from CSRF: anonymous residents have no session to forge, and a token would need a
# cookie on every device page. Abuse is limited by rate limits instead.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def raise_concern(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    params = data or request.GET
    device = device_open_to_concerns(params.get("device", ""))
    dpia = _dpia(params.get("dpia", ""))
    if device is None and dpia is None:
        raise Http404(_("Choose the device from its page to raise a concern about it."))
    # A link such as "Ask for it to be published" arrives with its category chosen.
    form = ConcernForm(data, initial={"category": request.GET.get("category", "")})
    context = {"form": form, "device": device, "dpia": dpia}
    if request.method == "POST" and form.is_valid():
        if too_many_concerns(request, device.pk if device else f"dpia-{dpia.pk}"):
            return render(request, "concerns/too_many.html", context, status=429)
        concern = receive_concern(
            device_id=device.pk if device else None,
            dpia_id=dpia.pk if dpia else None,
            category=form.cleaned_data["category"],
            description=form.cleaned_data["description"],
            email=form.cleaned_data["email"],
        )
        return redirect(f"/concerns/{concern.reference}/?new=1")
    return render(request, "concerns/raise_concern.html", context)


@require_safe
def concern_status(request: HttpRequest, reference: str) -> HttpResponse:
    concern = (
        Concern.objects.select_related("device", "dpia").filter(reference=reference.upper()).first()
    )
    if concern is None:
        raise Http404(_("No concern has that reference. Check it against your confirmation."))
    return render(
        request,
        "concerns/concern_status.html",
        {"concern": concern, "is_new": request.GET.get("new") == "1"},
    )
