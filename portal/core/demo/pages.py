"""The standard pages every council portal needs, written for the Millbrook demo."""

from __future__ import annotations

from typing import Any


def _paragraph(html: str) -> dict[str, Any]:
    return {"type": "paragraph", "value": html}


def _heading(text: str) -> dict[str, Any]:
    return {"type": "heading", "value": {"text": text, "level": "h2"}}


STANDARD_PAGES: list[dict[str, Any]] = [
    {
        "slug": "about",
        "title": "About this register",
        "introduction": "Millbrook Borough Council lists here every connected device it puts in public space, so you can see what each one does and why.",
        "body": [
            _heading("Why we publish this"),
            _paragraph(
                "<p>Cameras, sensors and smart street furniture collect information in places you cannot avoid. You have a right to know what they do. Each device has a sign with a QR code that brings you to its page here.</p>"
            ),
            _heading("How the labels work"),
            _paragraph(
                "<p>We describe each device with the Digital Trust for Places and Routines (DTPR) standard: what it is for, how it works, what data it collects, who can see it and how long it is kept.</p>"
            ),
        ],
    },
    {
        "slug": "privacy",
        "title": "Privacy notice",
        "introduction": "How this website handles information about you.",
        "body": [
            _heading("What this website keeps"),
            _paragraph(
                "<p>This website does not set cookies for visitors and does not record your IP address or browser. When you scan a sign we count the scan for that device and that day, and nothing else.</p>"
            ),
            _heading("The devices themselves"),
            _paragraph(
                '<p>Each device page says what data that device collects, who is responsible for it and how long the data is kept. To ask about your data, contact the council\'s data protection officer at <a href="mailto:dataprotection@millbrook.example">dataprotection@millbrook.example</a>.</p>'
            ),
        ],
    },
    {
        "slug": "accessibility",
        "title": "Accessibility statement",
        "introduction": "We want as many people as possible to be able to use this website.",
        "body": [
            _paragraph(
                "<p>This website aims to meet the Web Content Accessibility Guidelines (WCAG) 2.2 at level AA. You should be able to zoom to 400% without text spilling off the screen, navigate with a keyboard or speech recognition software, and listen to the site with a screen reader.</p>"
            ),
            _heading("Reporting a problem"),
            _paragraph(
                '<p>If you find something hard to use, e-mail <a href="mailto:smartstreets@millbrook.example">smartstreets@millbrook.example</a> and tell us the page and the problem. We reply within 5 working days.</p>'
            ),
            {
                "type": "callout",
                "value": {
                    "title": "Enforcement",
                    "tone": "info",
                    "body": "<p>The Equality and Human Rights Commission enforces the accessibility regulations. If you are not happy with our response, contact the Equality Advisory and Support Service.</p>",
                },
            },
        ],
    },
    {
        "slug": "contact",
        "title": "Contact us",
        "introduction": "Questions about a device, or worried about how one is used? Tell us.",
        "body": [
            _paragraph(
                '<p>E-mail <a href="mailto:smartstreets@millbrook.example">smartstreets@millbrook.example</a> or call 020 7946 0123, Monday to Friday, 9am to 5pm. Quote the device code printed under the QR code on its sign.</p>'
            ),
        ],
    },
]
