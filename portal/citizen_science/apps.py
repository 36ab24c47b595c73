from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitizenScienceConfig(AppConfig):
    name = "portal.citizen_science"
    label = "citizen_science"
    verbose_name = _("Citizen science")

    def ready(self) -> None:
        from . import photo_service  # noqa: F401  connects the photo-file clean-up on delete
