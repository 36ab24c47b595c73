"""The write side of the API for citizen science: contributors and batches of readings.

Thin views over ``portal.citizen_science``: they parse, call a service, and say what happened.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.citizen_science.contributors import create_contributor, erase, export, give_consent
from portal.citizen_science.definitions import (
    campaign_definition,
    campaign_summary,
    public_campaigns,
)
from portal.citizen_science.ingestion import BatchRefused, ingest
from portal.citizen_science.models import CampaignPage, Contributor
from portal.citizen_science.photo_service import PhotoNotAllowed, store_photo
from portal.citizen_science.photos import PhotoRejected

from . import shapes
from .authentication import ContributorTokenAuthentication

ERROR = shapes.ERROR


def contributor_of(request: Request) -> Contributor:
    if not isinstance(request.auth, Contributor):
        raise exceptions.NotAuthenticated(
            _("Send your contributor token as “Authorization: Token <your token>”.")
        )
    return request.auth


def campaigns_named(slugs: Any) -> list[CampaignPage]:
    """The live campaigns with these slugs, or a 400 that names what is wrong."""
    if not isinstance(slugs, list) or not all(isinstance(slug, str) for slug in slugs):
        raise exceptions.ValidationError(
            {"consent_to": [_('Give a list of campaign slugs, e.g. ["no2-tubes-2026"].')]}
        )
    campaigns = {c.slug: c for c in CampaignPage.objects.live().filter(slug__in=slugs)}
    unknown = sorted(set(slugs) - set(campaigns))
    if unknown:
        raise exceptions.ValidationError(
            {"consent_to": [_("No campaign called %(names)s.") % {"names": ", ".join(unknown)}]}
        )
    return list(campaigns.values())


def consent_to(contributor: Contributor, campaigns: list[CampaignPage]) -> list[str]:
    for campaign in campaigns:
        give_consent(contributor, campaign)
    return sorted(campaign.slug for campaign in campaigns)


class CampaignsView(APIView):
    authentication_classes: list = []

    @extend_schema(
        operation_id="campaigns_list",
        summary="Campaigns you can follow or join",
        description="Open, closed and published campaigns; planned ones are not listed yet.",
        responses={200: shapes.CAMPAIGNS},
    )
    def get(self, request: Request) -> Response:
        return Response({"campaigns": [campaign_summary(c, request) for c in public_campaigns()]})


class CampaignView(APIView):
    authentication_classes: list = []

    @extend_schema(
        operation_id="campaign_retrieve",
        summary="A campaign's definition, to take readings offline",
        description=(
            "Its unit, ranges, sampling, consent text and sites. Sites are placed at the centre "
            "of their grid square at the campaign's published precision, never exactly."
        ),
        responses={200: shapes.CampaignDefinition, 404: ERROR},
    )
    def get(self, request: Request, slug: str) -> Response:
        campaign = public_campaigns().filter(slug=slug).first()
        if campaign is None:
            raise exceptions.NotFound(
                _("No campaign has this slug. GET /api/v1/campaigns/ lists them.")
            )
        return Response(campaign_definition(campaign, request))


class ContributorsView(APIView):
    authentication_classes: list = []
    throttle_scope = "contributors"

    @extend_schema(
        summary="Register as a contributor",
        description="Creates a pseudonymous contributor. The token is shown once; keep it.",
        request=inline_serializer(
            "ContributorCreate",
            {"consent_to": serializers.ListField(child=serializers.CharField(), required=False)},
        ),
        responses={
            201: inline_serializer(
                "ContributorCreated",
                {
                    "id": serializers.UUIDField(),
                    "token": serializers.CharField(),
                    "consented_to": serializers.ListField(child=serializers.CharField()),
                },
            ),
            400: shapes.FIELD_ERRORS,
            429: ERROR,
        },
    )
    def post(self, request: Request) -> Response:
        data = request.data if isinstance(request.data, dict) else {}
        # Checked before anything is created, so a mistake leaves no orphan contributor.
        campaigns = campaigns_named(data.get("consent_to", []))
        contributor, token = create_contributor()
        consented = consent_to(contributor, campaigns)
        return Response(
            {
                "id": str(contributor.public_id),
                "token": token,
                "consented_to": consented,
                "notice": _(
                    "Keep this token safe: it is shown only once and is the only way to send "
                    "readings, see your data or erase it."
                ),
            },
            status=status.HTTP_201_CREATED,
        )


class ContributorMeView(APIView):
    authentication_classes = [ContributorTokenAuthentication]

    @extend_schema(summary="Everything held about you", responses={200: dict, 401: ERROR})
    def get(self, request: Request) -> Response:
        return Response(export(contributor_of(request)))

    @extend_schema(
        summary="Erase yourself",
        parameters=[
            OpenApiParameter(
                "readings",
                str,
                enum=["delete", "keep-anonymised"],
                required=True,
                description="delete: your readings are removed from the campaign's results. "
                "keep-anonymised: they stay in the results with nothing that leads to you.",
            )
        ],
        responses={200: dict, 400: shapes.FIELD_ERRORS, 401: ERROR},
    )
    def delete(self, request: Request) -> Response:
        contributor = contributor_of(request)
        choice = request.query_params.get("readings")
        if choice not in ("delete", "keep-anonymised"):
            raise exceptions.ValidationError(
                {
                    "readings": [
                        _(
                            "Choose what happens to your readings: ?readings=delete removes them "
                            "from the results; ?readings=keep-anonymised keeps them with nothing "
                            "that leads to you (no notes, no exact location)."
                        )
                    ]
                }
            )
        result = erase(contributor, keep_readings_anonymised=choice == "keep-anonymised")
        return Response({"erased": True, **result})


class ConsentsView(APIView):
    authentication_classes = [ContributorTokenAuthentication]

    @extend_schema(
        summary="Agree to campaigns' consent statements",
        request=inline_serializer(
            "ConsentCreate", {"consent_to": serializers.ListField(child=serializers.CharField())}
        ),
        responses={201: dict, 400: shapes.FIELD_ERRORS, 401: ERROR},
    )
    def post(self, request: Request) -> Response:
        contributor = contributor_of(request)
        data = request.data if isinstance(request.data, dict) else {}
        return Response(
            {"consented_to": consent_to(contributor, campaigns_named(data.get("consent_to")))},
            status=status.HTTP_201_CREATED,
        )


class ReadingsView(APIView):
    authentication_classes = [ContributorTokenAuthentication]
    throttle_scope = "readings"

    @extend_schema(
        summary="Send a batch of readings",
        description=(
            "Up to 500 readings, each with a client_uuid made on the device. Each gets a receipt: "
            "created, duplicate (the original receipt; nothing new is stored) or rejected (with "
            "errors per field). One bad reading never blocks the others. The answer is 200 when "
            "any reading was stored or already held, 400 when every one was rejected."
        ),
        request=inline_serializer(
            "ReadingBatch", {"readings": serializers.ListField(child=serializers.DictField())}
        ),
        responses={
            200: shapes.READING_BATCH_RESULT,
            400: shapes.READING_BATCH_REFUSED,
            401: ERROR,
            429: ERROR,
        },
    )
    def post(self, request: Request) -> Response:
        contributor = contributor_of(request)
        data = request.data if isinstance(request.data, dict) else None
        if data is None or "readings" not in data:
            raise exceptions.ValidationError(
                {"readings": [_("Send a JSON object with a list under “readings”.")]}
            )
        try:
            outcomes = ingest(data["readings"], contributor)
        except BatchRefused as error:
            raise exceptions.ValidationError({"readings": [str(error)]}) from error
        receipts = [outcome.as_dict() for outcome in outcomes]
        counts = {
            result: sum(1 for r in receipts if r["result"] == result)
            for result in ("created", "duplicate", "rejected")
        }
        everything_rejected = counts["rejected"] == len(receipts)
        return Response(
            {"counts": counts, "receipts": receipts},
            status=status.HTTP_400_BAD_REQUEST if everything_rejected else status.HTTP_200_OK,
        )


class ReadingPhotosView(APIView):
    authentication_classes = [ContributorTokenAuthentication]
    parser_classes = [MultiPartParser]
    throttle_scope = "readings"

    @extend_schema(
        summary="Add a photo to one of your readings",
        description=(
            "Multipart form with client_uuid (made on the device for this photo) and photo "
            "(JPEG, PNG or WebP, up to 10 MB). The photo is re-encoded: location, camera and "
            "other metadata never reach storage. Sending the same client_uuid again returns "
            "the original receipt."
        ),
        request={
            "multipart/form-data": inline_serializer(
                "PhotoUpload",
                {"client_uuid": serializers.UUIDField(), "photo": serializers.FileField()},
            )
        },
        responses={201: dict, 200: dict, 400: dict, 401: ERROR, 404: ERROR, 429: ERROR},
    )
    def post(self, request: Request, reading_uuid: uuid.UUID) -> Response:
        contributor = contributor_of(request)
        errors: dict[str, list[str]] = {}
        try:
            photo_uuid = uuid.UUID(str(request.data.get("client_uuid")))
        except ValueError:
            errors["client_uuid"] = [_("Give the photo a UUID made on the device, and keep it.")]
        upload = request.data.get("photo")
        if upload is None or not hasattr(upload, "read"):
            errors["photo"] = [_("Attach the photo as a file in the field “photo”.")]
        if errors:
            raise exceptions.ValidationError(errors)
        try:
            outcome = store_photo(
                reading_uuid=reading_uuid,
                photo_uuid=photo_uuid,
                upload=upload,
                contributor=contributor,
            )
        except PhotoNotAllowed as error:
            raise exceptions.NotFound(
                _("You have no reading with this client_uuid. Send the reading first.")
            ) from error
        except PhotoRejected as error:
            raise exceptions.ValidationError({"photo": [error.message]}) from error
        return Response(
            {
                "result": outcome.result,
                "receipt": outcome.photo.receipt,
                "received_at": outcome.photo.received_at.isoformat(),
                "width": outcome.photo.width,
                "height": outcome.photo.height,
            },
            status=status.HTTP_201_CREATED if outcome.result == "created" else status.HTTP_200_OK,
        )


@csrf_exempt
def not_found(request: HttpRequest) -> JsonResponse:
    """No endpoint here: say where the list of endpoints is."""
    return JsonResponse(
        {
            "detail": _(
                "There is no API endpoint at this address. The endpoints are listed in the "
                "schema at /api/v1/schema/ and described at /api/v1/docs/."
            )
        },
        status=404,
    )
