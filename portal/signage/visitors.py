"""Telling a person's scan from a machine's, without keeping anything about either."""

from __future__ import annotations

import re

from django.http import HttpRequest

# Link-preview fetchers (chat apps unfurling a pasted link) and crawlers. Matching is done on
# the request in hand only; the user agent is never stored.
MACHINE_USER_AGENT = re.compile(
    r"bot\b|bot/|crawler|spider|slurp|preview|facebookexternalhit|facebookcatalog|whatsapp|"
    r"telegram|slack|discord|skypeuripreview|linkedin|embedly|quora link|pinterest|vkshare|"
    r"outbrain|w3c_validator|curl/|wget/|python-requests|python-urllib|httpclient|okhttp|"
    r"headlesschrome|lighthouse|pingdom|uptimerobot|statuscake",
    re.IGNORECASE,
)


def is_countable_scan(request: HttpRequest) -> bool:
    """Would a person have seen the page? HEAD, prefetches and machines are not counted."""
    if request.method != "GET":
        return False
    purpose = request.headers.get("Sec-Purpose", "") + request.headers.get("Purpose", "")
    if "prefetch" in purpose.lower() or "prerender" in purpose.lower():
        return False
    user_agent = request.headers.get("User-Agent", "")
    return bool(user_agent) and not MACHINE_USER_AGENT.search(user_agent)
