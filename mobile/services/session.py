"""One running app's state without Kivy: where its files are, its store and its API client."""

from __future__ import annotations

import secrets
import urllib.parse
from pathlib import Path

from .api import DEFAULT_SERVER, ApiClient, Transport
from .store import Store

STORE_FILE = "plainsight.sqlite3"


class InvalidServerUrl(ValueError):
    pass


def checked_server_url(typed: str) -> str:
    """The server address as the app will use it, or an error that says how to fix it."""
    url = typed.strip().rstrip("/")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidServerUrl(
            "Type the council's Plainsight address starting with https:// "
            "(for example https://plainsight.example.gov.uk)."
        )
    if parts.query or parts.fragment:
        raise InvalidServerUrl("Leave out anything after ? or # in the address.")
    return url


class Session:
    """Opened once when the app starts; screens reach it through the app."""

    def __init__(
        self,
        data_dir: str | Path,
        *,
        server: str | None = None,
        transport: Transport | None = None,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.photos_dir = self.data_dir / "photos"
        self.photos_dir.mkdir(exist_ok=True)
        self.store = Store(self.data_dir / STORE_FILE)
        if server is not None:
            self.store.set_setting("server_url", checked_server_url(server))
        self.api = ApiClient(
            self.server_url, token=self.store.setting("contributor_token"), transport=transport
        )

    @property
    def server_url(self) -> str:
        return self.store.setting("server_url") or DEFAULT_SERVER

    def set_server_url(self, typed: str) -> str:
        url = checked_server_url(typed)
        self.store.set_setting("server_url", url)
        self.api.server = url
        return url

    @property
    def contributor_token(self) -> str | None:
        return self.store.setting("contributor_token")

    def remember_contributor(self, contributor_id: str, token: str) -> None:
        self.store.set_setting("contributor_id", contributor_id)
        self.store.set_setting("contributor_token", token)
        self.api.token = token

    def forget_contributor(self) -> None:
        self.store.set_setting("contributor_id", None)
        self.store.set_setting("contributor_token", None)
        self.api.token = None

    @property
    def shared_device(self) -> bool:
        """A phone handed round at a community event: each response is a different person."""
        return self.store.setting("shared_device") == "1"

    def set_shared_device(self, shared: bool) -> None:
        self.store.set_setting("shared_device", "1" if shared else "0")

    def participant_token(self) -> str:
        """The token sent with a survey response (the server allows one response per token).

        Made once per installation and kept; on a shared phone, a new one for each response.
        """
        if self.shared_device:
            return secrets.token_urlsafe(24)
        token = self.store.setting("participant_token")
        if token is None:
            token = secrets.token_urlsafe(24)
            self.store.set_setting("participant_token", token)
        return token

    def close(self) -> None:
        self.store.close()
