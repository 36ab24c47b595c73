"""Codes printed on signs, and how often each sign is scanned."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class IssuedCode(models.Model):
    """Every short code ever given to a device.

    A printed sign may stay on a lamp post long after its device page is deleted; keeping
    the code here means it is never handed to another device.
    """

    code = models.CharField(_("code"), max_length=8, unique=True)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("issued code")

    def __str__(self) -> str:
        return self.code


class DailyScanCount(models.Model):
    """How many times a device's short link was opened on one day. Nothing else is kept."""

    device = models.ForeignKey(
        "registry.DevicePage", on_delete=models.CASCADE, related_name="daily_scan_counts"
    )
    day = models.DateField(_("day"))
    scans = models.PositiveIntegerField(_("scans"), default=0)

    class Meta:
        verbose_name = _("daily scan count")
        constraints = [
            models.UniqueConstraint(fields=["device", "day"], name="one_scan_count_per_device_day")
        ]
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.device_id} {self.day}: {self.scans}"
