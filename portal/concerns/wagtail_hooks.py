from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Concern


class ConcernViewSet(SnippetViewSet):
    model = Concern
    icon = "help"
    menu_label = _("Concerns")
    menu_order = 230
    add_to_admin_menu = True
    list_display = ("reference", "device", "dpia", "category", "status", "received_on")
    list_filter = ("status", "category")
    search_fields = ("reference", "description")


register_snippet(ConcernViewSet)
