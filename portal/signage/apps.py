from django.apps import AppConfig


class SignageConfig(AppConfig):
    name = "portal.signage"
    label = "signage"
    verbose_name = "Street signs"
