from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitizenScienceConfig(AppConfig):
    name = "portal.citizen_science"
    label = "citizen_science"
    verbose_name = _("Citizen science")
