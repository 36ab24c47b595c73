"""Pages of results: ``limit`` and ``offset``, checked rather than silently replaced."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request


class StrictLimitOffsetPagination(LimitOffsetPagination):
    """DRF's limit/offset pages, but a bad number is a 400 that says what would work.

    DRF quietly falls back to the default for ``limit=abc``; a client would then page through
    results believing it had asked for something else.
    """

    default_limit = 50
    max_limit = 500

    def _number(self, request: Request, name: str, *, smallest: int) -> int | None:
        raw = request.query_params.get(name)
        if raw is None:
            return None
        if not raw.isdigit() or int(raw) < smallest:
            raise exceptions.ValidationError(
                {
                    name: [
                        _("%(name)s must be a whole number of at least %(smallest)d.")
                        % {"name": name, "smallest": smallest}
                    ]
                }
            )
        return int(raw)

    def get_limit(self, request: Request) -> int:
        limit = self._number(request, self.limit_query_param, smallest=1)
        if limit is None:
            return self.default_limit
        if limit > self.max_limit:
            raise exceptions.ValidationError(
                {
                    "limit": [
                        _("limit can be at most %(most)d; use offset to fetch the next page.")
                        % {"most": self.max_limit}
                    ]
                }
            )
        return limit

    def get_offset(self, request: Request) -> int:
        return self._number(request, self.offset_query_param, smallest=0) or 0

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.limit_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_limit)
            if parameter["name"] == self.offset_query_param:
                parameter["schema"].update(minimum=0)
        return parameters
