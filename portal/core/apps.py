from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "portal.core"
    label = "core"
    verbose_name = "Plainsight core"

    def ready(self) -> None:
        from . import visibility  # noqa: F401 - connects the cache-clearing signal handlers
