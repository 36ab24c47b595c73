"""Contributors authenticate with the token they were given once: ``Authorization: Token …``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from portal.citizen_science.contributors import contributor_for_token


class ContributorTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0] != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the header as “Authorization: Token <your token>”.")
            )
        contributor = contributor_for_token(header[1])
        if contributor is None:
            raise exceptions.AuthenticationFailed(
                _("This token is not known. It may have been erased; register again.")
            )
        # Contributors are not site users: the contributor travels as request.auth.
        return AnonymousUser(), contributor

    def authenticate_header(self, request: Request) -> str:
        return self.keyword
