from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "portal.registry"
    label = "registry"
    verbose_name = "Device register"

    def ready(self) -> None:
        from django.conf import settings

        from dtpr_assets.icons import set_override_dir

        # Icons a council imported replace the built-in ones everywhere: pages, signs, API.
        set_override_dir(settings.DTPR_ICON_DIR)
