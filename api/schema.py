"""How the OpenAPI schema describes the contributor token."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ContributorTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ContributorTokenAuthentication"
    name = "contributorToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "“Token <token>”, with the token from POST /api/v1/contributors/.",
        }
