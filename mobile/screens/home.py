"""Home: the campaigns and surveys open now, kept on the phone so they work without signal."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.factory import Factory
from kivy.lang import Builder
from kivy.properties import BooleanProperty, ListProperty, StringProperty
from kivy.uix.screenmanager import Screen

from mobile.services.api import ApiClient, TransportError

from .background import describe_problem, in_background
from .wording import when

Builder.load_file(str(Path(__file__).with_suffix(".kv")))

# Settings that remember the last good download: which campaigns and surveys the server listed
# as open (a stored definition stays for records already made, but is not offered again once the
# server stops listing it), and when.
OPEN_CAMPAIGNS = "home.open_campaigns"
OPEN_SURVEYS = "home.open_surveys"
DOWNLOADED_AT = "home.downloaded_at"


def download_open_definitions(api: ApiClient) -> dict[str, list[dict[str, Any]]]:
    """Every open campaign's and survey's full definition (run off the app's thread)."""
    campaigns = [
        api.campaign(summary["slug"])
        for summary in api.campaigns()
        if summary.get("accepting_readings")
    ]
    surveys = [api.survey(summary["slug"]) for summary in api.surveys() if summary.get("is_open")]
    return {"campaign": campaigns, "survey": surveys}


def campaign_card(campaign: dict[str, Any]) -> dict[str, str]:
    measures = campaign.get("observed_property") or ""
    unit = campaign.get("unit") or ""
    return {
        "slug": campaign["slug"],
        "title": campaign.get("title") or campaign["slug"],
        "summary": campaign.get("summary") or "",
        "detail": f"{measures}, in {unit}" if measures and unit else measures,
    }


def survey_card(survey: dict[str, Any]) -> dict[str, str]:
    closes = survey.get("closes_at")
    return {
        "slug": survey["slug"],
        "title": survey.get("title") or survey["slug"],
        "summary": "",
        "detail": f"Open until {when(closes)}" if closes else "",
    }


class HomeScreen(Screen):
    campaigns = ListProperty([])
    surveys = ListProperty([])
    # "Downloaded at 17:02 on 21 November 2026", or empty before the first download.
    downloaded = StringProperty("")
    # Why the lists may be out of date (offline, a server error), in words for a person.
    problem = StringProperty("")
    loading = BooleanProperty(False)
    # The Outbox button's words: how many records wait, and how many need the person.
    outbox_label = StringProperty("Outbox")
    # The server the lists were last downloaded from in this run of the app.
    _downloaded_from: str | None = None

    def on_kv_post(self, _base_widget: Any) -> None:
        app = App.get_running_app()
        app.bind(counts=self._show_counts)
        self._show_counts(app, app.counts)

    def _show_counts(self, _app: Any, counts: dict[str, int]) -> None:
        waiting, to_fix = counts.get("pending", 0), counts.get("rejected", 0)
        self.outbox_label = f"Outbox\n{waiting} waiting" + (f", {to_fix} to fix" if to_fix else "")

    def prepare(self, **_context: Any) -> None:
        self.show_downloaded()
        # Downloaded once per start (and again after the address changes or on Refresh), not on
        # every return to this screen: mobile data costs money.
        if self._downloaded_from != self.session.server_url:
            self.refresh()

    @property
    def session(self) -> Any:
        return App.get_running_app().session

    def refresh(self) -> None:
        """Download the open campaigns and surveys again; the stored ones stay on screen."""
        if self.loading:
            return
        self.loading = True
        self._downloaded_from = self.session.server_url
        in_background(
            lambda: download_open_definitions(self.session.api),
            done=self._downloaded,
            failed=self._download_failed,
        )

    def _downloaded(self, definitions: dict[str, list[dict[str, Any]]]) -> None:
        store = self.session.store
        for kind, bodies in definitions.items():
            for body in bodies:
                store.save_download(kind, body["slug"], body)
        store.set_setting(OPEN_CAMPAIGNS, json.dumps([c["slug"] for c in definitions["campaign"]]))
        store.set_setting(OPEN_SURVEYS, json.dumps([s["slug"] for s in definitions["survey"]]))
        store.set_setting(DOWNLOADED_AT, datetime.now().astimezone().isoformat(timespec="seconds"))
        self.problem = ""
        self.loading = False
        self.show_downloaded()

    def _download_failed(self, error: Exception) -> None:
        self.loading = False
        self._downloaded_from = None  # try again next time the screen opens
        has_copy = bool(self.campaigns or self.surveys)
        if isinstance(error, TransportError):
            self.problem = "You are offline. " + (
                "These are the campaigns and surveys downloaded earlier: you can still log "
                "readings and answer surveys, and they will be sent when you are back online."
                if has_copy
                else "Nothing has been downloaded yet: connect to the internet and tap Refresh."
            )
        else:
            self.problem = describe_problem(error, "downloading campaigns and surveys")

    def show_downloaded(self) -> None:
        """Fill the lists from the phone's store (works with no signal)."""
        store = self.session.store
        self.campaigns = self._listed(store.downloads("campaign"), OPEN_CAMPAIGNS)
        self.surveys = self._listed(store.downloads("survey"), OPEN_SURVEYS)
        stamp = store.setting(DOWNLOADED_AT)
        self.downloaded = f"Downloaded at {when(stamp)}" if stamp else ""
        self._fill(self.ids.campaign_list, "CampaignCard", map(campaign_card, self.campaigns))
        self._fill(self.ids.survey_list, "SurveyCard", map(survey_card, self.surveys))

    def _listed(self, bodies: list[dict[str, Any]], setting: str) -> list[dict[str, Any]]:
        open_now = self.session.store.setting(setting)
        if open_now is None:
            return bodies
        wanted = json.loads(open_now)
        by_slug = {body["slug"]: body for body in bodies}
        return [by_slug[slug] for slug in wanted if slug in by_slug]

    def _fill(self, column: Any, card: str, contents: Iterable[dict[str, str]]) -> None:
        column.clear_widgets()
        for content in contents:
            # Properties declared in kv cannot be passed to the constructor: set them after.
            widget = getattr(Factory, card)()
            for name, value in content.items():
                setattr(widget, name, value)
            column.add_widget(widget)
