"""DPIAs for the Millbrook demo: some parts public, some redacted with a reason, some internal."""

from __future__ import annotations

from typing import Any

REDACTED_LOCATION = "It would show exactly where cameras point and where recordings are kept."

DPIAS: list[dict[str, Any]] = [
    {
        "slug": "dpia-town-centre-cctv",
        "title": "Town centre CCTV",
        "devices": ["cctv-market-square", "cctv-old-bus-station"],
        "review_by": "2027-03-01",
        "summary": (
            "We assessed the town centre cameras before installing them. They record people in "
            "public places, so the main risks are intrusion into privacy and misuse of footage. "
            "Footage is kept for 31 days, only trained operators can view it, and the police "
            "receive it only for a specific incident."
        ),
        "steps": {
            "need": (
                "To reduce assaults and thefts in Market Square, where reported crime has risen for three years.",
                "public",
                "",
            ),
            "nature": (
                "Cameras record continuously to recorders in the control room. Encrypted storage; footage deleted automatically after 31 days.",
                "redacted",
                REDACTED_LOCATION,
            ),
            "scope": (
                "Images of everyone passing through the square, about 12,000 people a day.",
                "public",
                "",
            ),
            "processing_context": (
                "Residents expect cameras in the town centre; signs are posted at each entrance.",
                "public",
                "",
            ),
            "purposes": (
                "Preventing and detecting crime; helping people who are hurt or lost.",
                "public",
                "",
            ),
            "consultation": (
                "Ward councillors, the market traders' association and a residents' panel of 40 people.",
                "public",
                "",
            ),
            "necessity": (
                "Lawful basis: public task. Extra street lighting alone was tried in 2022 and did not reduce incidents.",
                "public",
                "",
            ),
        },
        "risks": [
            (
                "Footage viewed by staff without a reason.",
                "possible",
                "significant",
                "medium",
                "Access logged; monthly audit by the DPO.",
                "reduced",
                "low",
                "public",
                "",
            ),
            (
                "Cameras see into windows of homes above the shops.",
                "probable",
                "significant",
                "high",
                "Privacy masking on every camera overlooking homes.",
                "reduced",
                "low",
                "public",
                "",
            ),
            (
                "An attacker reaches the recorders over the network.",
                "remote",
                "severe",
                "medium",
                "Network design and controls described in the security plan.",
                "reduced",
                "low",
                "redacted",
                "Describing our security controls would help an attacker.",
            ),
            (
                "Named operator rota and shift patterns.",
                "remote",
                "minimal",
                "low",
                "Rota held by the control room manager.",
                "accepted",
                "low",
                "internal",
                "",
            ),
        ],
    },
    {
        "slug": "dpia-bus-gate-cameras",
        "title": "Bus gate and car park number plate cameras",
        "devices": ["anpr-station-road-bus-gate", "anpr-car-park-leisure-centre"],
        "review_by": "2026-06-01",
        "summary": (
            "Number plate cameras identify vehicles, and through them their keepers. Images are "
            "kept for 28 days unless a penalty is issued. The operator checks every image before "
            "a penalty charge notice is sent."
        ),
        "steps": {
            "need": ("Buses were delayed by private cars using the bus gate.", "public", ""),
            "nature": (
                "Plates are read automatically and matched against a list of permitted vehicles.",
                "public",
                "",
            ),
            "scope": ("Number plates of about 3,000 vehicles a day.", "public", ""),
            "necessity": (
                "Lawful basis: public task under the Traffic Management Act 2004.",
                "public",
                "",
            ),
        },
        "risks": [
            (
                "A penalty sent to the wrong keeper after a misread plate.",
                "possible",
                "significant",
                "medium",
                "Every image is checked by a person before a penalty is issued.",
                "reduced",
                "low",
                "public",
                "",
            ),
            (
                "Supplier contract terms on data use.",
                "remote",
                "significant",
                "low",
                "Contract schedule 4.",
                "reduced",
                "low",
                "internal",
                "",
            ),
        ],
    },
    {
        "slug": "dpia-people-counters",
        "title": "People counters",
        "devices": ["people-counter-high-street", "people-counter-millbrook-park"],
        "review_by": "2027-09-01",
        "summary": (
            "The counters detect people in camera images inside the device and keep only hourly "
            "counts. No image leaves the sensor. The remaining risk is that a future change "
            "could make the sensors keep images; the contract forbids it."
        ),
        "steps": {
            "need": (
                "To plan events and support shops with reliable footfall figures.",
                "public",
                "",
            ),
            "nature": (
                "Images are processed inside the sensor and deleted within a second; only counts are sent.",
                "public",
                "",
            ),
            "consultation": ("Town centre business forum.", "public", ""),
        },
        "risks": [
            (
                "A software update makes the sensor keep images.",
                "remote",
                "significant",
                "low",
                "Contract forbids it; updates are reviewed before installation.",
                "reduced",
                "low",
                "public",
                "",
            ),
        ],
    },
]

SIGN_OFFS = [
    ("measures", "Head of Community Safety"),
    ("residual", "Director of Place"),
    ("dpo", "Data Protection Officer"),
]
