from django.apps import AppConfig


class ConcernsConfig(AppConfig):
    name = "portal.concerns"
    label = "concerns"
    verbose_name = "Concerns raised by residents"
