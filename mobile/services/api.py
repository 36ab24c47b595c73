"""A small client for the Plainsight API, over a transport that can be swapped in tests.

The transport does one HTTP exchange and raises :class:`TransportError` when no answer came
(no signal, a dropped connection, a timeout): the caller cannot tell whether the server acted,
which is why every write carries a ``client_uuid`` and is safe to send again.
"""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

DEFAULT_SERVER = "http://127.0.0.1:8000"
DEFAULT_TIMEOUT = 20.0
USER_AGENT = "Plainsight-app/1"


class TransportError(OSError):
    """No answer: the request may or may not have reached the server."""


@dataclass(frozen=True)
class HttpRequest:
    method: str
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes | None = None
    timeout: float = DEFAULT_TIMEOUT


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), None)


class Transport(Protocol):
    def send(self, request: HttpRequest) -> HttpResponse: ...


class UrllibTransport:
    """The standard library's HTTP client: nothing to build for Android."""

    def send(self, request: HttpRequest) -> HttpResponse:
        prepared = urllib.request.Request(
            request.url, data=request.body, method=request.method, headers=dict(request.headers)
        )
        try:
            return self._exchange(prepared, request.timeout)
        except (OSError, ValueError, http.client.HTTPException) as error:
            # OSError covers URLError, refused and reset connections and timeouts;
            # HTTPException a connection closed before the whole answer came (a bad status
            # line, a short body); http.client reports some broken answers as ValueError.
            raise TransportError(str(error) or type(error).__name__) from error

    @staticmethod
    def _exchange(prepared: urllib.request.Request, timeout: float) -> HttpResponse:
        try:
            with urllib.request.urlopen(prepared, timeout=timeout) as answer:
                return HttpResponse(answer.status, dict(answer.headers.items()), answer.read())
        except urllib.error.HTTPError as error:
            # An answer with an error status is still an answer (its body is read here, where
            # a connection dropped half-way is still a TransportError).
            with error:
                return HttpResponse(error.code, dict(error.headers.items()), error.read())


class ApiError(Exception):
    """The server answered, but not with what was asked for; ``message`` says it for a person."""

    def __init__(self, status: int, message: str, data: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.data = data


def _message(data: Any, fallback: str) -> str:
    if isinstance(data, dict):
        if isinstance(data.get("detail"), str):
            return data["detail"]
        parts = [
            f"{key}: {' '.join(str(m) for m in value)}"
            for key, value in data.items()
            if isinstance(value, list)
        ]
        if parts:
            return "; ".join(parts)
    return fallback


def multipart(
    fields: Mapping[str, str], files: Mapping[str, tuple[str, bytes, str]]
) -> tuple[bytes, str]:
    """A multipart/form-data body and its content type."""
    boundary = f"plainsight-{uuid.uuid4().hex}"
    lines: list[bytes] = []
    for name, value in fields.items():
        lines += [
            f"--{boundary}".encode(),
            f'Content-Disposition: form-data; name="{name}"'.encode(),
            b"",
            value.encode(),
        ]
    for name, (filename, content, content_type) in files.items():
        lines += [
            f"--{boundary}".encode(),
            f'Content-Disposition: form-data; name="{name}"; filename="{filename}"'.encode(),
            f"Content-Type: {content_type}".encode(),
            b"",
            content,
        ]
    lines += [f"--{boundary}--".encode(), b""]
    return b"\r\n".join(lines), f"multipart/form-data; boundary={boundary}"


class ApiClient:
    """The endpoints the app uses. Reads raise :class:`ApiError`; writes return the response."""

    def __init__(
        self,
        server: str = DEFAULT_SERVER,
        *,
        token: str | None = None,
        transport: Transport | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.server = server.rstrip("/")
        self.token = token
        self.transport = transport or UrllibTransport()
        self.timeout = timeout

    def url(self, path: str, query: Mapping[str, str] | None = None) -> str:
        suffix = f"?{urllib.parse.urlencode(query)}" if query else ""
        return f"{self.server}/api/v1/{path.lstrip('/')}{suffix}"

    def request(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        query: Mapping[str, str] | None = None,
        authenticated: bool = False,
        raw: tuple[bytes, str] | None = None,
    ) -> HttpResponse:
        headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
        content: bytes | None = None
        if raw is not None:
            content, headers["Content-Type"] = raw
        elif body is not None:
            content = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        if authenticated:
            if not self.token:
                raise ApiError(401, "Register as a contributor first (My data).")
            headers["Authorization"] = f"Token {self.token}"
        return self.transport.send(
            HttpRequest(method, self.url(path, query), headers, content, self.timeout)
        )

    def read(
        self, path: str, *, authenticated: bool = False, query: Mapping[str, str] | None = None
    ) -> Any:
        response = self.request("GET", path, authenticated=authenticated, query=query)
        data = response.json()
        if response.status != 200:
            raise ApiError(
                response.status, _message(data, f"The server answered {response.status}."), data
            )
        return data

    # --- reads ----------------------------------------------------------------------------

    def campaigns(self) -> list[dict[str, Any]]:
        return self.read("campaigns/")["campaigns"]

    def campaign(self, slug: str) -> dict[str, Any]:
        return self.read(f"campaigns/{urllib.parse.quote(slug)}/")

    def surveys(self) -> list[dict[str, Any]]:
        return self.read("surveys/")["surveys"]

    def survey(self, slug: str) -> dict[str, Any]:
        return self.read(f"surveys/{urllib.parse.quote(slug)}/")

    def device(self, code: str) -> dict[str, Any]:
        return self.read(f"devices/{urllib.parse.quote(code)}/")

    def me(self) -> dict[str, Any]:
        return self.read("contributors/me/", authenticated=True)

    # --- writes ---------------------------------------------------------------------------

    def register(self, consent_to: list[str]) -> dict[str, Any]:
        response = self.request("POST", "contributors/", body={"consent_to": consent_to})
        data = response.json()
        if response.status != 201:
            raise ApiError(
                response.status, _message(data, f"The server answered {response.status}."), data
            )
        self.token = data["token"]
        return data

    def consent(self, consent_to: list[str]) -> dict[str, Any]:
        response = self.request(
            "POST", "contributors/me/consents/", body={"consent_to": consent_to}, authenticated=True
        )
        data = response.json()
        if response.status != 201:
            raise ApiError(
                response.status, _message(data, f"The server answered {response.status}."), data
            )
        return data

    def erase(self, readings: str) -> dict[str, Any]:
        response = self.request(
            "DELETE", "contributors/me/", query={"readings": readings}, authenticated=True
        )
        data = response.json()
        if response.status != 200:
            raise ApiError(
                response.status, _message(data, f"The server answered {response.status}."), data
            )
        return data

    def send_readings(self, readings: list[dict[str, Any]]) -> HttpResponse:
        return self.request("POST", "readings/", body={"readings": readings}, authenticated=True)

    def send_photo(self, reading_uuid: str, photo_uuid: str, content: bytes) -> HttpResponse:
        body = multipart(
            {"client_uuid": photo_uuid}, {"photo": ("photo.jpg", content, "image/jpeg")}
        )
        return self.request(
            "POST", f"readings/{reading_uuid}/photos/", raw=body, authenticated=True
        )

    def send_survey_response(self, slug: str, body: dict[str, Any]) -> HttpResponse:
        return self.request("POST", f"surveys/{urllib.parse.quote(slug)}/responses/", body=body)
