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

# Supplier commitments: (question, answer, evidence, evidence publication, reason withheld).
SUPPLIER_ASSURANCES: list[dict[str, Any]] = [
    {
        "device": "anpr-station-road-bus-gate",
        "supplier": "Kestrel Traffic Systems Ltd",
        "assessed_on": "2025-11-03",
        "summary": (
            "Kestrel runs the bus gate cameras for the council. It promised that the council owns "
            "every image and number plate, that nothing is sold or reused, and that all data is "
            "encrypted. It does not yet follow PAS 185 in full."
        ),
        "manufacturer": "Kestrel ANPR-7 camera unit",
        "support_ends_on": "2029-06-30",
        "vulnerability_contact": "security@kestrel-traffic.example",
        "answers": [
            (
                "data_protection",
                "yes",
                "Contract schedule 4 (data processing terms).",
                "public",
                "",
            ),
            ("council_owns_data", "yes", "Contract clause 12.1.", "public", ""),
            ("no_resale", "yes", "Contract clause 12.4.", "public", ""),
            ("open_access", "yes", "Nightly export to the council's own storage.", "internal", ""),
            (
                "certification",
                "yes",
                "ISO 27001 certificate KTS-2291, valid to 2027.",
                "redacted",
                "The certificate lists the addresses of the supplier's data centres.",
            ),
            ("disaster_recovery", "yes", "Tested plan, last exercised June 2025.", "internal", ""),
            ("encryption", "yes", "AES-256 at rest; TLS 1.3 in transit.", "internal", ""),
            ("pseudonymisation", "partial", "Plates of exempt vehicles are hashed.", "public", ""),
            (
                "api",
                "yes",
                "Documented read API for the council's enforcement system.",
                "internal",
                "",
            ),
            ("subcontracting", "yes", "Hosting subcontractor named in schedule 6.", "internal", ""),
            ("data_flows", "yes", "Data flow diagram v3 (May 2025).", "internal", ""),
            ("pas_185", "partial", "Gap analysis done; two controls outstanding.", "public", ""),
        ],
    },
    {
        "device": "people-counter-high-street",
        "supplier": "Streetsense Analytics Ltd",
        "assessed_on": "2025-08-20",
        "summary": (
            "Streetsense makes the people counters. It promised that images never leave the "
            "sensor, that only counts are sent, and that the council owns the counts. It has no "
            "security certification yet."
        ),
        "manufacturer": "Streetsense Flow 2",
        "support_ends_on": "2028-12-31",
        "vulnerability_contact": "psirt@streetsense.example",
        "answers": [
            ("data_protection", "yes", "Data processing agreement signed 2023.", "public", ""),
            ("council_owns_data", "yes", "Contract clause 7.", "public", ""),
            ("no_resale", "yes", "Contract clause 7.3.", "public", ""),
            ("open_access", "yes", "Counts published hourly as open data.", "public", ""),
            ("certification", "no", "", "internal", ""),
            ("encryption", "yes", "TLS from sensor to cloud; encrypted storage.", "internal", ""),
            ("pseudonymisation", "yes", "Images are discarded on the sensor.", "public", ""),
            ("api", "yes", "Counts API.", "internal", ""),
        ],
    },
    {
        "device": "air-quality-clock-tower",
        "supplier": "ClearAir Monitoring Ltd",
        "assessed_on": "2024-10-01",
        "summary": (
            "ClearAir supplies and calibrates the air quality sensor. The council owns the "
            "readings, which are published openly."
        ),
        "manufacturer": "ClearAir AQ-Mesh",
        "support_ends_on": "2027-10-01",
        "vulnerability_contact": "security@clearair.example",
        "answers": [
            ("council_owns_data", "yes", "Contract clause 5.", "public", ""),
            ("open_access", "yes", "Readings published as open data.", "public", ""),
            ("api", "yes", "Readings API.", "public", ""),
        ],
    },
]

ALGORITHM_RECORDS: list[dict[str, Any]] = [
    {
        "slug": "bus-gate-number-plate-matching",
        "title": "Bus gate number plate matching",
        "description": (
            "Cameras at the Station Road bus gate read the number plate of each vehicle that "
            "drives through. Software checks the plate against the list of vehicles allowed to "
            "use the gate. When a plate is not on the list, a council officer looks at the "
            "pictures and decides whether to issue a penalty charge notice."
        ),
        "contact_email": "parking@millbrook.example",
        "organisation": "London Borough of Millbrook",
        "team": "Parking and Traffic Enforcement",
        "senior_responsible_owner": "Head of Parking Services",
        "suppliers": [
            (
                "Kestrel Traffic Systems Ltd",
                "09876543",
                "Supplies and maintains the cameras and the matching software.",
                "Processes images for the council under contract; may not keep or reuse them.",
            )
        ],
        "scope": (
            "Detects vehicles that drive through the bus gate without an exemption. It is not "
            "designed to track vehicles, to find stolen cars, or to enforce anything else."
        ),
        "benefit": "Keeps buses on time and the road safe for cyclists, with fewer officers on street.",
        "alternatives_considered": "Officers on foot at peak times; physical rising bollards.",
        "model_type": "Automatic number plate recognition (image model) and a rules-based list match",
        "frequency_usage": "Every vehicle passing the gate, around the clock",
        "phase": "production",
        "maintenance": "The supplier checks reading accuracy monthly; the council audits a sample each quarter.",
        "process_integration": "Unmatched plates go to a queue that enforcement officers review.",
        "provided_information": "The pictures, the plate as read, the time, and why it did not match.",
        "human_decisions": (
            "An officer looks at every case. No penalty charge is issued by the software alone; "
            "officers reject cases where the plate was misread or the vehicle was exempt."
        ),
        "required_training": "Enforcement officers complete the council's ANPR review training each year.",
        "output_appeal": "na",
        "output_appeal_who": "",
        "output_appeal_detail": (
            "The software's match is not a decision and is not sent to anyone: an officer "
            "checks every case first, so there is nothing to challenge until a penalty is issued."
        ),
        "decision_appeal": "yes",
        "decision_appeal_who": "The registered keeper of the vehicle, or anyone acting for them",
        "decision_appeal_detail": (
            "Make a representation to the council within 28 days of the penalty charge notice. "
            "If it is rejected, appeal to London Tribunals, which is independent of the council."
        ),
        "data_sources": [
            (
                "Bus gate camera images",
                "Pictures of vehicles and their number plates at the bus gate.",
                "Collected by the cameras as vehicles pass.",
                "None: the data stays with the council and its processor.",
                "Kept for 28 days unless a penalty is issued; stored in the UK.",
            ),
            (
                "Exemption list",
                "Number plates of buses, taxis and permit holders allowed through the gate.",
                "From permit applications and operators' fleet lists.",
                "Agreements with bus operators for their fleet lists.",
                "Held by Parking Services; updated daily.",
            ),
        ],
        "risks": [
            (
                "Misread number plates",
                "A plate read wrongly could lead to a penalty for the wrong keeper.",
                "An officer checks every picture before any penalty is issued.",
            ),
            (
                "Use for other purposes",
                "The pictures could be wanted for other uses, such as tracking vehicles.",
                "The contract and the DPIA limit use to bus gate enforcement; access is logged.",
            ),
        ],
        "devices": ["anpr-station-road-bus-gate"],
        "dpias": ["dpia-bus-gate-cameras"],
        "function": "public_order_and_safety",
        "capability": "computer_vision",
        "stage": "production",
        "date_completion": "2025-10-15",
        "ai_chain": [
            ("purpose", "enforcement", ""),
            ("accountable", "institution", "London Borough of Millbrook"),
            ("affected", "drivers", "Anyone driving through the bus gate."),
            ("functional_modes", "detection", ""),
            ("functional_modes", "decision_support", "An officer decides every case."),
            ("rights", "right_contest", "Representations, then London Tribunals."),
            ("rights", "right_to_human_review", ""),
            ("input_dataset", "pixel_based_image", ""),
            ("output_dataset", "alert", ""),
            ("retention", "data_retained", "28 days unless a penalty is issued"),
        ],
    },
]
