"""A DPIA with every publication level in use, and the text that must never be public.

Shared by the DPIA page's own tests and by the open-data leak checks, which look for the same
withheld text in every feed.
"""

from portal.assessments.models import STEPS, DpiaPage, DpiaRisk
from tests.factories import AssessmentIndexPageFactory, DevicePageFactory, DpiaPageFactory

STEP_NAMES = [name for name, _label, _help in STEPS]
LEVELS = ["public", "redacted", "internal"]


def secret(name: str, level: str) -> str:
    return f"SECRET{level.upper()}{name.upper().replace('_', '')}XYZ"


def dpia_with_every_level(
    home, register, rotation: int = 0, device_title: str = "CCTV, Market Square"
) -> DpiaPage:
    """Each step gets a level in turn; across rotations 0-2 every step is tried at every level."""
    index = AssessmentIndexPageFactory(parent=home)
    device = DevicePageFactory(parent=register, title=device_title)
    fields = {}
    for number, name in enumerate(STEP_NAMES):
        level = LEVELS[(number + rotation) % 3]
        fields[name] = secret(name, level)
        fields[f"{name}_level"] = level
        fields[f"{name}_reason"] = (
            f"Reason for {name}: it would show where cameras point." if level == "redacted" else ""
        )
    page = DpiaPageFactory(parent=index, **fields)
    page.devices.add(device)
    for level in LEVELS:
        DpiaRisk.objects.create(
            page=page,
            risk=f"RISKSECRET{level.upper()}",
            likelihood="possible",
            severity="significant",
            overall="medium",
            measures=f"MEASURESECRET{level.upper()}",
            effect="reduced",
            residual="low",
            publication_level=level,
            redaction_reason="It would help someone avoid the cameras."
            if level == "redacted"
            else "",
        )
    page.save_revision().publish()
    return DpiaPage.objects.get(pk=page.pk)


def withheld_secrets(dpia: DpiaPage):
    for name in STEP_NAMES:
        if getattr(dpia, f"{name}_level") != "public":
            yield getattr(dpia, name)
    yield from [
        "RISKSECRETREDACTED",
        "MEASURESECRETREDACTED",
        "RISKSECRETINTERNAL",
        "MEASURESECRETINTERNAL",
    ]
