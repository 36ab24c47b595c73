"""Short links, printable signs and QR codes."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from portal.core.models import council_for_request
from portal.core.visibility import visible_to_public
from portal.registry.models import DevicePage

from .codes import BODY_LENGTH, normalise_code
from .services import record_scan
from .visitors import is_countable_scan

SIGN_TYPES = {"svg": "image/svg+xml", "pdf": "application/pdf", "png": "image/png"}


@require_safe
@never_cache  # every scan must reach us to be counted; no cache may answer for us
def short_link(request: HttpRequest, code: str) -> HttpResponse:
    """``/d/<code>``: the address under every QR code. Sends the visitor to the device's page."""
    canonical = normalise_code(code)
    device = (
        visible_to_public(DevicePage.objects.live()).filter(code=canonical).first()
        if canonical
        else None
    )
    if device is None:
        return unknown_code(request, typed=code, looks_mistyped=canonical is None)
    if is_countable_scan(request):
        record_scan(device)
    return HttpResponseRedirect(device.get_url(request))


def unknown_code(request: HttpRequest, *, typed: str, looks_mistyped: bool) -> HttpResponse:
    compact = "".join(character for character in typed.upper() if character.isalnum())
    if looks_mistyped and len(compact) == BODY_LENGTH + 1:
        reason = _(
            "The code %(code)s has a mistake in it: a character was probably misread or "
            "mistyped. Check each one against the sign. Codes never use the letters O, I or L "
            "or the digits 0 or 1."
        ) % {"code": typed.strip()}
    elif looks_mistyped:
        reason = _(
            "%(code)s is not a device code. A device code has seven letters and numbers, "
            "like K7Q-29XG, and is printed under the QR code on the sign."
        ) % {"code": typed.strip()[:20]}
    else:
        reason = _(
            "No device on the register has the code %(code)s. It may have been removed, "
            "or the sign may belong to another council."
        ) % {"code": normalise_code(typed)}
    return render(
        request,
        "signage/unknown_code.html",
        {"reason": reason, "typed": typed.strip()[:20]},
        status=404,
    )


def _device_for_slug(slug: str) -> DevicePage:
    device = visible_to_public(DevicePage.objects.live()).filter(slug=slug).first()
    if device is None:
        raise Http404(_("No device has that address."))
    return device


@require_safe
def sign(request: HttpRequest, slug: str, file_format: str) -> HttpResponse:
    """``/devices/<slug>/sign.svg|pdf|png?size=a5|a6|sticker``: the printable sign."""
    from .rendering import svg_to_pdf, svg_to_png
    from .signs import DEFAULT_SIGN_SIZE, SignSize, render_sign_svg, sign_content

    if file_format not in SIGN_TYPES:
        raise Http404(_("Signs come as .svg, .pdf or .png."))
    try:
        size = SignSize.from_slug(request.GET.get("size", DEFAULT_SIGN_SIZE.slug))
    except ValueError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    device = _device_for_slug(slug)
    svg = render_sign_svg(sign_content(device, council=council_for_request(request)), size)
    body: bytes | str = svg
    if file_format == "pdf":
        body = svg_to_pdf(svg)
    elif file_format == "png":
        body = svg_to_png(svg, dpi=150)
    response = HttpResponse(body, content_type=SIGN_TYPES[file_format])
    filename = f"sign-{device.code}-{size.slug}.{file_format}"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
def qr_code(request: HttpRequest, slug: str, file_format: str) -> HttpResponse:
    """``/devices/<slug>/qr.svg|png``: the bare QR code, for councils' own sign designs."""
    from .qr import qr_png, qr_svg
    from .services import short_link as short_link_for

    if file_format not in {"svg", "png"}:
        raise Http404(_("QR codes come as .svg or .png."))
    device = _device_for_slug(slug)
    url = short_link_for(device.code)
    body = qr_svg(url) if file_format == "svg" else qr_png(url)
    response = HttpResponse(body, content_type=SIGN_TYPES[file_format])
    response["Content-Disposition"] = f'inline; filename="qr-{device.code}.{file_format}"'
    response["Cache-Control"] = "public, max-age=3600"
    return response
