"""What the read API's responses look like, for the OpenAPI schema.

These serializers only describe: the views build plain dicts in service functions, and a test
fuzzes every endpoint with schemathesis to check each response matches what is written here.
"""

from __future__ import annotations

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

ERROR = inline_serializer("Error", {"detail": serializers.CharField()})

# A 400: each bad parameter or field named, with messages saying how to fix it; or, for a body
# that cannot be read at all, {"detail": message}.
FIELD_ERRORS = {
    "type": "object",
    "description": (
        "Each bad parameter or field with messages that say how to fix it, or "
        '{"detail": message} when the body cannot be read at all.'
    ),
    "additionalProperties": {
        "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
    },
}


# Devices' personal data and elements' identifiability take the same three values.
PERSONAL_DATA = ["identifiable", "de_identified", "none"]


class LocaleText(serializers.Serializer):
    locale = serializers.CharField(help_text="BCP 47, e.g. en-GB.")
    value = serializers.CharField(allow_blank=True)


def locale_text(help_text: str = "") -> LocaleText:
    return LocaleText(many=True, help_text=help_text or "DTPR locale array.")


class TaxonomyVariable(serializers.Serializer):
    id = serializers.CharField()
    label = locale_text()
    required = serializers.BooleanField()


class TaxonomyElement(serializers.Serializer):
    id = serializers.CharField()
    name = locale_text()
    description = locale_text()
    identifiability = serializers.ChoiceField(PERSONAL_DATA)
    variables = TaxonomyVariable(many=True)
    icon = serializers.URLField(allow_null=True)


class TaxonomyCategory(serializers.Serializer):
    id = serializers.CharField()
    name = locale_text()
    question = locale_text()
    shape = serializers.CharField()
    order = serializers.IntegerField()
    required = serializers.BooleanField()
    elements = TaxonomyElement(many=True)


TAXONOMY = inline_serializer(
    "DtprTaxonomy",
    {"schema_version": serializers.CharField(), "categories": TaxonomyCategory(many=True)},
)


class DeviceLocation(serializers.Serializer):
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    description = serializers.CharField()
    area = serializers.CharField(allow_blank=True)


class DeviceLinks(serializers.Serializer):
    page = serializers.URLField()
    short_link = serializers.URLField()
    api = serializers.URLField()
    sign_svg = serializers.URLField()
    sign_pdf = serializers.URLField()
    raise_a_concern = serializers.URLField()


STATUSES = ["planned", "installed", "active", "paused", "investigation", "retired"]


class DeviceSummary(serializers.Serializer):
    code = serializers.CharField(help_text="Printed under the QR code, e.g. K7Q-29XG.")
    title = locale_text()
    summary = locale_text()
    status = serializers.ChoiceField(STATUSES)
    status_since = serializers.DateField(allow_null=True)
    personal_data = serializers.ChoiceField(PERSONAL_DATA)
    purposes = serializers.ListField(child=serializers.CharField())
    technologies = serializers.ListField(child=serializers.CharField())
    location = DeviceLocation()
    updated_at = serializers.DateTimeField(allow_null=True)
    links = DeviceLinks()


def page_of(name: str, item: serializers.Serializer) -> serializers.Serializer:
    return inline_serializer(
        name,
        {
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": item,
        },
    )


DEVICE_PAGE = page_of("DevicePage", DeviceSummary(many=True))


class VariableValue(serializers.Serializer):
    id = serializers.CharField()
    value = serializers.CharField(allow_blank=True)


class Action(serializers.Serializer):
    type = serializers.ChoiceField(["email", "url", "phone", "form", "postal"])
    label = serializers.CharField()
    target = serializers.CharField()


class InstanceElement(serializers.Serializer):
    element_id = serializers.CharField()
    category_id = serializers.CharField()
    priority = serializers.IntegerField()
    title = locale_text()
    description = locale_text()
    variables = VariableValue(many=True)
    actions = Action(many=True)


class InstanceLocation(DeviceLocation):
    area_geojson = serializers.JSONField(allow_null=True, help_text="A GeoJSON Polygon.")


class InstanceDates(serializers.Serializer):
    installed_on = serializers.DateField(allow_null=True)
    retired_on = serializers.DateField(allow_null=True)
    review_by = serializers.DateField(allow_null=True)


class InstanceWhy(serializers.Serializer):
    outcome = serializers.CharField(allow_blank=True)
    if_had_then = serializers.CharField(allow_blank=True)
    insight = serializers.CharField(allow_blank=True)
    data_needed = serializers.CharField(allow_blank=True)


class RecordLink(serializers.Serializer):
    title = serializers.CharField()
    page = serializers.URLField()
    api = serializers.URLField()


class AlgorithmLink(RecordLink):
    id = serializers.CharField()


DEVICE_INSTANCE = inline_serializer(
    "DeviceInstance",
    {
        "id": serializers.CharField(help_text="The device's code."),
        "title": locale_text(),
        "description": locale_text(),
        "schema_version": serializers.CharField(help_text="e.g. device@2025-11."),
        "created_at": serializers.DateTimeField(allow_null=True),
        "updated_at": serializers.DateTimeField(allow_null=True),
        "elements": InstanceElement(many=True),
        "linked_instance_ids": serializers.ListField(child=serializers.CharField()),
        "status": serializers.ChoiceField(STATUSES),
        "status_since": serializers.DateField(allow_null=True),
        "personal_data": serializers.ChoiceField(PERSONAL_DATA),
        "location": InstanceLocation(),
        "dates": InstanceDates(),
        "why": InstanceWhy(),
        "links": DeviceLinks(),
        "dpias": RecordLink(many=True),
        "algorithm_records": AlgorithmLink(many=True),
    },
)


class DpiaSummary(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    review_by = serializers.DateField()
    overdue_for_review = serializers.BooleanField()
    updated_at = serializers.DateTimeField(allow_null=True)
    page = serializers.URLField()
    api = serializers.URLField()


DPIA_PAGE = page_of("DpiaPage", DpiaSummary(many=True))

# The DPIA and ATRS documents are built by portal.assessments for the web page's JSON links
# too; their parts are described loosely here and pinned field by field in the tests.
DPIA = inline_serializer(
    "Dpia",
    {
        "title": serializers.CharField(),
        "url": serializers.URLField(),
        "summary": serializers.CharField(),
        "review_by": serializers.DateField(),
        "overdue_for_review": serializers.BooleanField(),
        "last_published_at": serializers.DateTimeField(allow_null=True),
        "devices": serializers.ListField(child=serializers.DictField()),
        "steps": serializers.ListField(child=serializers.DictField()),
        "risks": serializers.ListField(child=serializers.DictField()),
        "sign_offs": serializers.ListField(child=serializers.DictField()),
    },
)


class AlgorithmSummary(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    organisation = serializers.CharField()
    phase = serializers.CharField()
    updated_at = serializers.DateTimeField(allow_null=True)
    page = serializers.URLField()
    api = serializers.URLField()


ALGORITHM_PAGE = page_of("AlgorithmRecordPage", AlgorithmSummary(many=True))
ATRS_SECTIONS = [
    "tier_1",
    "owner_and_responsibility",
    "description_and_rationale",
    "oversight",
    "data",
    "risks_and_impact_assessments",
    "metadata",
    "plainsight",
]
ALGORITHM_RECORD = {
    "type": "object",
    "description": (
        "An ATRS v1.1 record: one object per section of the standard, keyed by its field ids "
        "(repeating fields are lists), then the record's metadata and what Plainsight adds."
    ),
    "properties": {
        section: {"type": "object", "additionalProperties": True} for section in ATRS_SECTIONS
    },
    "required": ATRS_SECTIONS,
}


class CampaignSummary(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    observed_property = serializers.CharField(help_text="e.g. Nitrogen dioxide (NO2).")
    unit = serializers.CharField(help_text="Readings must be sent in this unit.")
    state = serializers.ChoiceField(["open", "closed", "published"])
    accepting_readings = serializers.BooleanField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(allow_null=True)
    url = serializers.URLField()


CAMPAIGNS = inline_serializer("CampaignList", {"campaigns": CampaignSummary(many=True)})


class CampaignSite(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    latitude = serializers.FloatField(help_text="The centre of its grid square, never exact.")
    longitude = serializers.FloatField()
    device_code = serializers.CharField(allow_null=True)


class CampaignDownloads(serializers.Serializer):
    csv = serializers.CharField()
    geojson = serializers.CharField()


class CampaignDefinition(CampaignSummary):
    method = serializers.CharField(allow_blank=True)
    sampling = serializers.ChoiceField(["exposure", "instant"])
    sampling_description = serializers.CharField(allow_blank=True)
    valid_range = serializers.ListField(
        child=serializers.FloatField(allow_null=True),
        min_length=2,
        max_length=2,
        help_text="[lowest, highest] a reading may be; outside it a reading is refused.",
    )
    usual_range = serializers.ListField(
        child=serializers.FloatField(allow_null=True),
        min_length=2,
        max_length=2,
        help_text="[lowest, highest] usual value; outside it a reading is flagged for review.",
    )
    threshold = serializers.FloatField(allow_null=True)
    threshold_label = serializers.CharField(allow_blank=True)
    bias_factor = serializers.FloatField(allow_null=True)
    location_precision_m = serializers.IntegerField()
    area = serializers.JSONField(allow_null=True, help_text="A GeoJSON Polygon, if any.")
    licence = serializers.CharField()
    consent_text = serializers.CharField()
    sites = CampaignSite(many=True)
    downloads = CampaignDownloads()


class ReadingCounts(serializers.Serializer):
    created = serializers.IntegerField()
    duplicate = serializers.IntegerField()
    rejected = serializers.IntegerField()


class ReadingReceipt(serializers.Serializer):
    index = serializers.IntegerField(help_text="The reading's place in the batch, from 0.")
    client_uuid = serializers.CharField(allow_null=True)
    result = serializers.ChoiceField(["created", "duplicate", "rejected"])
    receipt = serializers.CharField(
        required=False, allow_null=True, help_text="Created or duplicate: the council's receipt."
    )
    received_at = serializers.DateTimeField(required=False, allow_null=True)
    status = serializers.CharField(
        required=False, allow_null=True, help_text="pending, accepted or flagged."
    )
    flags = serializers.ListField(child=serializers.CharField(), required=False)
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Rejected: each field with what to fix.",
    )


READING_BATCH_RESULT = inline_serializer(
    "ReadingBatchResult", {"counts": ReadingCounts(), "receipts": ReadingReceipt(many=True)}
)
# Every reading rejected (each with its reasons), or a batch that could not be read at all.
READING_BATCH_REFUSED = {
    "oneOf": [{"$ref": "#/components/schemas/ReadingBatchResult"}, FIELD_ERRORS],
}


class SurveySummary(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    introduction = serializers.CharField(allow_blank=True)
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    is_open = serializers.BooleanField(help_text="Whether responses are taken now.")
    require_code = serializers.BooleanField(
        help_text="Each response needs the one-time code printed on a postal invitation."
    )
    results_published = serializers.BooleanField()
    series = serializers.CharField(allow_null=True, help_text="A tracker's name, if any.")
    wave = serializers.CharField(allow_null=True)
    url = serializers.URLField()
    results_url = serializers.URLField(allow_null=True)


SURVEYS = inline_serializer("SurveyList", {"surveys": SurveySummary(many=True)})


class SurveyOption(serializers.Serializer):
    key = serializers.CharField(help_text="Stable across rewording and waves.")
    label = serializers.CharField()


class SurveyQuestion(serializers.Serializer):
    """Every question carries every field, null or empty where it does not apply."""

    key = serializers.CharField()
    kind = serializers.ChoiceField(
        [
            "scenario",
            "likert",
            "single_choice",
            "multiple_choice",
            "ranking",
            "free_text",
            "demographic",
        ]
    )
    text = serializers.CharField()
    hint = serializers.CharField(allow_blank=True)
    required = serializers.BooleanField()
    options = SurveyOption(many=True)
    prefer_not_to_say = SurveyOption(allow_null=True)
    most_choices = serializers.IntegerField(allow_null=True)
    limit = serializers.IntegerField(allow_null=True, help_text="Characters of free text.")
    vignette = serializers.CharField(allow_null=True, allow_blank=True)
    conditions = SurveyOption(many=True)
    dimension = serializers.CharField(allow_null=True, allow_blank=True)


class SurveySection(serializers.Serializer):
    heading = serializers.CharField(allow_blank=True)
    introduction = serializers.CharField(allow_blank=True)
    questions = SurveyQuestion(many=True)


class SurveyDefinition(SurveySummary):
    how_answers_are_used = serializers.CharField(allow_blank=True)
    what_is_stored = serializers.CharField()
    sections = SurveySection(many=True)
