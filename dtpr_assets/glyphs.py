"""Plainsight's own symbols for DTPR elements, drawn for a 36 by 36 icon.

Each glyph is an SVG fragment drawn inside roughly the box (8, 8) to (28, 28). The fragment sits in
a group that strokes with the symbol colour and has no fill; ``$c`` stands for the symbol colour,
``$bg`` for the shape's fill and ``$dot`` for a solid, unstroked part. These are original drawings,
not the official DTPR artwork, which a council can import instead (see ``icon_import``).
"""

from __future__ import annotations

# "$dot" marks a small solid shape: filled with the symbol colour, no outline.
DOT = 'fill="$c" stroke="none"'

GLYPHS: dict[str, str] = {
    # People and organisations
    "person": '<circle cx="18" cy="13" r="4"/><path d="M10.5 27v-1.5a7.5 7.5 0 0 1 15 0V27"/>',
    "person_dashed": (
        '<g stroke-dasharray="2.2 2.2"><circle cx="18" cy="13" r="4"/>'
        '<path d="M10.5 27v-1.5a7.5 7.5 0 0 1 15 0V27"/></g>'
    ),
    "people": (
        '<circle cx="13.5" cy="13" r="3"/><circle cx="22.5" cy="13" r="3"/>'
        '<path d="M8 26v-1.5a5.5 5.5 0 0 1 11 0V26M17 24.5a5.5 5.5 0 0 1 11 0V26"/>'
    ),
    "institution": (
        '<path d="M8 14.5 18 9l10 5.5zM11 17.5v6.5M15.5 17.5v6.5M20.5 17.5v6.5M25 17.5v6.5'
        'M8 27h20"/>'
    ),
    "office": (
        '<rect x="11" y="8" width="14" height="19" rx="1"/>'
        '<path d="M15 12h1.5M19.5 12H21M15 16h1.5M19.5 16H21M15 20h1.5M19.5 20H21M17 27v-3h2v3"/>'
    ),
    "shop": '<path d="M9 14.5 11 9h14l2 5.5zM10.5 14.5V27h15V14.5M15 27v-6h6v6"/>',
    "person_detection": (
        '<circle cx="18" cy="14" r="3"/><path d="M13 25v-.5a5 5 0 0 1 10 0v.5"/>'
        '<path d="M9 13V9h4M23 9h4v4M27 23v4h-4M13 27H9v-4"/>'
    ),
    "face": (
        '<circle cx="18" cy="18" r="8.5"/><circle cx="15" cy="16" r="1.2" $dot/>'
        '<circle cx="21" cy="16" r="1.2" $dot/><path d="M14.5 20.5a4 4 0 0 0 7 0"/>'
    ),
    "fingerprint": (
        '<path d="M11.5 12.5a8.5 8.5 0 0 1 13 0M10 20.5v-1.5a8 8 0 0 1 16 0v2'
        'M14 26v-7a4 4 0 0 1 8 0v4M18 19v8"/>'
    ),
    "accessibility": (
        '<circle cx="18" cy="9.5" r="2" $dot/>'
        '<path d="M10 14l8 1.5 8-1.5M18 15.5v5M18 20.5l-4 6.5M18 20.5l4 6.5"/>'
    ),
    "voice": (
        '<circle cx="14" cy="14" r="4"/><path d="M7.5 27c0-4 2.8-7 6.5-7s6.5 3 6.5 7"/>'
        '<path d="M22 11a5 5 0 0 1 0 7M25 8.5a9 9 0 0 1 0 12"/>'
    ),
    # Cameras and sensing
    "video": (
        '<rect x="7.5" y="12.5" width="14" height="11" rx="2"/><path d="m21.5 16.5 7-4v11l-7-4z"/>'
    ),
    "video_infrared": (
        '<rect x="7.5" y="14.5" width="14" height="11" rx="2"/><path d="m21.5 18.5 7-4v11l-7-4z"/>'
        '<path d="M9 10q1.5-2 3 0t3 0 3 0"/>'
    ),
    "photo": (
        '<rect x="8" y="12" width="20" height="14" rx="2"/><circle cx="18" cy="19" r="4"/>'
        '<path d="M14 12l1.5-3h5l1.5 3"/>'
    ),
    "photo_infrared": (
        '<rect x="8" y="14" width="20" height="13" rx="2"/><circle cx="18" cy="20.5" r="3.5"/>'
        '<path d="M10.5 10q1.5-2 3 0t3 0 3 0 3 0"/>'
    ),
    "eye": (
        '<path d="M7.5 18s4-7 10.5-7 10.5 7 10.5 7-4 7-10.5 7-10.5-7-10.5-7z"/>'
        '<circle cx="18" cy="18" r="3.5"/>'
    ),
    "microphone": (
        '<rect x="15" y="8" width="6" height="11" rx="3"/>'
        '<path d="M11.5 16a6.5 6.5 0 0 0 13 0M18 22.5V27M14.5 27h7"/>'
    ),
    "speaker": (
        '<path d="M8.5 15H12l5-4.5v15L12 21H8.5z"/>'
        '<path d="M21 14.5a5 5 0 0 1 0 7M24.5 11.5a9.5 9.5 0 0 1 0 13"/>'
    ),
    "intercom": (
        '<rect x="11" y="8" width="14" height="20" rx="2"/>'
        '<path d="M15 12.5h6M15 15.5h6M15 18.5h6"/>'
        '<circle cx="18" cy="23.5" r="1.5" $dot/>'
    ),
    "air": '<path d="M8 14h11a3 3 0 1 0-3-3M8 19h15a3 3 0 1 1-3 3M8 24h7"/>',
    "thermometer": (
        '<path d="M15.5 20.5V10.5a2.5 2.5 0 0 1 5 0v10a4.8 4.8 0 1 1-5 0z"/>'
        '<circle cx="18" cy="24.5" r="2" $dot/><path d="M18 22.5V14"/>'
    ),
    "weather": (
        '<circle cx="14" cy="13" r="3.5"/>'
        '<path d="M14 6.8v1.4M7.8 13h1.4M9.6 8.6l1 1M18.4 8.6l-1 1"/>'
        '<path d="M13 27h11a4 4 0 0 0 .5-8 6 6 0 0 0-11.3 1.2A3.5 3.5 0 0 0 13 27z" fill="$bg"/>'
    ),
    "drop": '<path d="M18 8.5s-6.5 7-6.5 11.5a6.5 6.5 0 0 0 13 0c0-4.5-6.5-11.5-6.5-11.5z"/>',
    "water_quality": (
        '<path d="M18 8.5s-6.5 7-6.5 11.5a6.5 6.5 0 0 0 13 0c0-4.5-6.5-11.5-6.5-11.5z"/>'
        '<path d="m15 20.5 2 2 4-4.5"/>'
    ),
    "soil": (
        '<path d="M18 8s-4 4.5-4 7.5a4 4 0 0 0 8 0c0-3-4-7.5-4-7.5z"/>'
        '<path d="M8 23h20M11 27h3M17 27h3M23 27h2"/>'
    ),
    "ultrasonic": (
        '<rect x="14" y="7.5" width="8" height="3.5" rx="1"/>'
        '<path d="M14 14.5a6 6 0 0 0 8 0M11.5 17.5a9.5 9.5 0 0 0 13 0"/>'
        '<path d="M8 24q2.5-2 5 0t5 0 5 0 5 0"/>'
    ),
    "radar": (
        '<path d="M18 8a10 10 0 1 0 10 10M18 13a5 5 0 1 0 5 5M18 18l7-7"/>'
        '<circle cx="18" cy="18" r="1.5" $dot/>'
    ),
    "lidar": (
        '<circle cx="10.5" cy="18" r="2.5"/><path d="M13 16.5 24 11.5M13.5 18H24M13 19.5l11 5"/>'
        '<path d="M26.5 10v16" stroke-dasharray="1.5 2.5"/>'
    ),
    "motion": '<circle cx="21" cy="18" r="5"/><path d="M8 14h6M9.5 18H14M8 22h6"/>',
    "inclinometer": '<path d="M8 26h20M8 26 25 12M18 26a10 10 0 0 0-2.3-6.4"/>',
    "induction_loop": (
        '<path d="M11 9.5h14M11 26.5h14"/><rect x="9.5" y="13" width="17" height="10" rx="2"/>'
        '<rect x="13" y="16" width="10" height="4" rx="1"/>'
    ),
    "weight": '<path d="M12 14h12l3 13H9z"/><circle cx="18" cy="10.5" r="2.5"/>',
    "gauge": (
        '<path d="M8.5 23a9.5 9.5 0 0 1 19 0M18 23l5-6"/><circle cx="18" cy="23" r="1.5" $dot/>'
    ),
    # Connectivity and devices
    "wifi": (
        '<path d="M8.5 15a13.5 13.5 0 0 1 19 0'
        'M11.5 18.5a9 9 0 0 1 13 0M14.5 22a4.5 4.5 0 0 1 7 0"/>'
        '<circle cx="18" cy="25.5" r="1.6" $dot/>'
    ),
    "access_point": (
        '<path d="M11 13a10 10 0 0 1 14 0M14 16.5a5 5 0 0 1 8 0"/>'
        '<rect x="10" y="20" width="16" height="6" rx="1.5"/>'
        '<circle cx="14" cy="23" r="1" $dot/>'
    ),
    "cellular": (
        '<path d="M18 16v11M14 27l4-11 4 11M13.5 10.5a6.5 6.5 0 0 0 0 8M22.5 10.5a6.5 6.5 0 0 1 0 8'
        'M10.5 7.5a10.5 10.5 0 0 0 0 14M25.5 7.5a10.5 10.5 0 0 1 0 14"/>'
        '<circle cx="18" cy="14.5" r="1.5" $dot/>'
    ),
    "contactless": (
        '<path d="M11 13a6 6 0 0 1 0 10M15 10a10.5 10.5 0 0 1 0 16M19 7.5a14 14 0 0 1 0 21"/>'
    ),
    "beacon": (
        '<circle cx="18" cy="18" r="2.5" $dot/>'
        '<path d="M14 14a5.5 5.5 0 0 0 0 8M22 14a5.5 5.5 0 0 1 0 8'
        'M11 11a10 10 0 0 0 0 14M25 11a10 10 0 0 1 0 14"/>'
    ),
    "crosshair": (
        '<circle cx="18" cy="18" r="6.5"/><circle cx="18" cy="18" r="2" $dot/>'
        '<path d="M18 8v3.5M18 24.5V28M8 18h3.5M24.5 18H28"/>'
    ),
    "phone": '<rect x="12" y="8" width="12" height="20" rx="2"/><path d="M16.5 24.5h3"/>',
    "screen": '<rect x="8" y="9" width="20" height="14" rx="1.5"/><path d="M18 23v4M14 27h8"/>',
    "toggle": (
        '<rect x="8" y="13" width="20" height="10" rx="5"/><circle cx="23" cy="18" r="3" $dot/>'
    ),
    "chat": (
        '<path d="M9 10h18v12H16l-5 4v-4H9z"/><circle cx="14" cy="16" r="1.2" $dot/>'
        '<circle cx="18" cy="16" r="1.2" $dot/><circle cx="22" cy="16" r="1.2" $dot/>'
    ),
    "help": (
        '<circle cx="18" cy="18" r="9.5"/><path d="M15 15.5a3 3 0 1 1 4 2.8c-.7.3-1 .8-1 1.5v.7"/>'
        '<circle cx="18" cy="23.5" r="1.2" $dot/>'
    ),
    "drone": (
        '<path d="M13.5 13.5l9 9M22.5 13.5l-9 9"/><circle cx="11.5" cy="11.5" r="2.8"/>'
        '<circle cx="24.5" cy="11.5" r="2.8"/><circle cx="11.5" cy="24.5" r="2.8"/>'
        '<circle cx="24.5" cy="24.5" r="2.8"/>'
        '<rect x="15.5" y="15.5" width="5" height="5" rx="1" fill="$bg"/>'
    ),
    "ev_charger": (
        '<rect x="9" y="8" width="11" height="19" rx="2"/><path d="M15.5 11l-3 5h4l-3 5"/>'
        '<path d="M20 13h2.5a1.5 1.5 0 0 1 1.5 1.5v8a2 2 0 0 0 4 0V13l-2-2.5"/>'
    ),
    "charging_road": '<path d="M10.5 27 13 9M25.5 27 23 9"/><path d="M19.5 11.5l-4 6h5l-4 6.5"/>',
    # Purposes
    "shield": (
        '<path d="M18 8l8 3v6.5c0 4.8-3.4 8.3-8 10-4.6-1.7-8-5.2-8-10V11z"/>'
        '<path d="m14.5 18 2.5 2.5 4.5-5"/>'
    ),
    "arrows": '<path d="M9 14h17m-4-4 4 4-4 4M27 22H10m4-4-4 4 4 4"/>',
    "leaf": '<path d="M10 26c0-10 5-16 17-17 0 11-6 17-17 17zM10 26l9-9"/>',
    "cross": '<path d="M15 9h6v6h6v6h-6v6h-6v-6H9v-6h6z"/>',
    "gavel": (
        '<rect x="14" y="7.5" width="6" height="11" rx="1" transform="rotate(-45 17 13)"/>'
        '<path d="M20 16.5l7 7M8 27h10"/>'
    ),
    "scales": '<path d="M18 9v18M13 27h10M9 12h18M9 12l-3 7h6zM27 12l-3 7h6z"/>',
    "chart": '<path d="M9 9v18h18M14 23v-5M19 23v-9M24 23V11"/>',
    "line_chart": '<path d="M9 9v18h18M12 22l4-5 4 3 6-8"/>',
    "info": (
        '<circle cx="18" cy="10.5" r="2" $dot/>'
        '<path d="M15 15.5h3V26M14.5 26h7" stroke-width="2.4"/>'
    ),
    "bag": '<path d="M10 13h16l-1 14H11zM14 13v-1a4 4 0 0 1 8 0v1"/>',
    "dining": (
        '<path d="M12 8v6a2.5 2.5 0 0 0 5 0V8M14.5 8v19M23.5 27V8c-2.5 1.5-3.5 5-3.5 9h3.5"/>'
    ),
    "bolt": '<path d="M20 8l-8 11h6l-2 9 8-11h-6z"/>',
    "door": (
        '<rect x="12" y="8" width="12" height="19" rx="1"/><path d="M9 27h18"/>'
        '<circle cx="21" cy="18" r="1.2" $dot/>'
    ),
    "flame": (
        '<path d="M18 8c1 4 6 6.5 6 12a6 6 0 0 1-12 0'
        'c0-3 1.5-4.5 3-6 .5 2 1.5 3 3 3-1-3-1-6 0-9z"/>'
    ),
    "box": '<path d="M18 8l9 4.5v10L18 27l-9-4.5v-10zM9 12.5l9 4.5 9-4.5M18 17v10"/>',
    "flask": (
        '<path d="M15 8h6M16 8v6.5L10 25a1.5 1.5 0 0 0 1.3 2h13.4a1.5 1.5 0 0 0 1.3-2L20 14.5V8'
        'M12.5 21h11"/>'
    ),
    "bin": '<path d="M10 12h16M15 12V9.5h6V12M12 12l1 15h10l1-15M16 16v7M20 16v7"/>',
    "signpost": (
        '<path d="M18 8v19M14 27h8M18 10h6.5l2.5 2.5-2.5 2.5H18M18 17h-6.5L9 19.5l2.5 2.5H18"/>'
    ),
    "speech": '<path d="M8 9h13v9h-8l-3.5 3v-3H8zM24 13.5h4V23h-2v3l-3.5-3H16v-2"/>',
    "palette": (
        '<path d="M18 8a10 10 0 0 0 0 20c1.7 0 2.2-1.2 1.6-2.3s.1-2.7 1.9-2.7H24a4 4 0 0 0 4-4'
        'c0-6-4.5-11-10-11z"/><circle cx="13" cy="16" r="1.3" $dot/>'
        '<circle cx="17" cy="12.5" r="1.3" $dot/><circle cx="22" cy="13" r="1.3" $dot/>'
        '<circle cx="13.5" cy="21" r="1.3" $dot/>'
    ),
    # Data and processing
    "binary": '<path d="M10 12l3-2v16"/><ellipse cx="22" cy="18" rx="4" ry="8"/>',
    "check_cross": '<path d="m8 18 3 3 5-6M21 14l6 6M27 14l-6 6"/>',
    "pixels": (
        '<rect x="9" y="9" width="18" height="18" rx="1"/>'
        '<path d="M15 9v18M21 9v18M9 15h18M9 21h18"/>'
        '<path d="M9 9h6v6H9zM21 15h6v6h-6zM15 21h6v6h-6z" $dot/>'
    ),
    "pin": (
        '<path d="M18 28s-7-7-7-12a7 7 0 0 1 14 0c0 5-7 12-7 12z"/>'
        '<circle cx="18" cy="16" r="2.5"/>'
    ),
    "table": (
        '<rect x="9" y="10" width="18" height="16" rx="1"/><path d="M9 15h18M9 20.5h18M15 10v16"/>'
    ),
    "sigma": '<path d="M25 11V9H11l7 9-7 9h14v-2"/>',
    "code": '<path d="m13 12-5 6 5 6M23 12l5 6-5 6M20 10l-4 16"/>',
    "lock": (
        '<rect x="10.5" y="16" width="15" height="11" rx="1.5"/>'
        '<path d="M13.5 16v-3a4.5 4.5 0 0 1 9 0v3M18 20v3"/>'
    ),
    "lock_at_rest": (
        '<rect x="11" y="14" width="14" height="10" rx="1.5"/>'
        '<path d="M14 14v-2.5a4 4 0 0 1 8 0V14M18 17.5v3M8 27.5h20"/>'
    ),
    "network": (
        '<circle cx="18" cy="18" r="3"/>'
        '<circle cx="10" cy="11" r="2"/><circle cx="26" cy="11" r="2"/>'
        '<circle cx="10" cy="25" r="2"/><circle cx="26" cy="25" r="2"/>'
        '<path d="m11.5 12.5 4 3.5M24.5 12.5l-4 3.5M11.5 23.5l4-3.5M24.5 23.5l-4-3.5"/>'
    ),
    "chip": (
        '<rect x="12" y="12" width="12" height="12" rx="1"/>'
        '<path d="M15 12V9M18 12V9M21 12V9M15 27v-3M18 27v-3M21 27v-3'
        'M12 15H9M12 18H9M12 21H9M27 15h-3M27 18h-3M27 21h-3"/>'
    ),
    "chain": (
        '<path d="m16 20 4-4M14.5 17.5 12 20a3.5 3.5 0 0 0 5 5l2.5-2.5'
        'M21.5 18.5 24 16a3.5 3.5 0 0 0-5-5l-2.5 2.5"/>'
    ),
    "approved": '<path d="M11 8h10l5 5v14H11zM21 8v5h5M14.5 19.5l2.5 2.5 4.5-5"/>',
    "magnifier": '<circle cx="16" cy="16" r="6"/><path d="m20.5 20.5 6.5 6.5"/>',
    # Access, retention and storage
    "download": '<path d="M18 8v13m-5-5 5 5 5-5M9 23v4h18v-4"/>',
    "tag": '<path d="M9 9h8l10 10-8 8L9 17z"/><circle cx="13.5" cy="13.5" r="1.5"/>',
    "clock": '<circle cx="18" cy="18" r="9"/><path d="M18 12.5V18l3.5 2.5"/>',
    "cloud": '<path d="M12 25h12.5a4.5 4.5 0 0 0 .5-9 7 7 0 0 0-13.4-1.5A5.3 5.3 0 0 0 12 25z"/>',
    "database": (
        '<ellipse cx="18" cy="11" rx="7" ry="3"/>'
        '<path d="M11 11v14c0 1.7 3.1 3 7 3s7-1.3 7-3V11M11 18c0 1.7 3.1 3 7 3s7-1.3 7-3"/>'
    ),
    "database_pin": (
        '<ellipse cx="16" cy="11" rx="6.5" ry="2.8"/>'
        '<path d="M9.5 11v13c0 1.6 2.9 2.8 6.5 2.8M22.5 11v3.5M9.5 17.5c0 1.6 2.9 2.8 6.5 2.8"/>'
        '<path d="M23.5 28s-4-4-4-7a4 4 0 0 1 8 0c0 3-4 7-4 7z"/>'
    ),
    "globe": (
        '<circle cx="18" cy="18" r="9"/>'
        '<path d="M9 18h18M18 9c-3.5 4-3.5 14 0 18M18 9c3.5 4 3.5 14 0 18"/>'
    ),
    "globe_copy": (
        '<path d="M11 11.5a9 9 0 0 1 15.5 3"/><circle cx="19" cy="20" r="7"/>'
        '<path d="M12 20h14M19 13c-2.7 3-2.7 11 0 14M19 13c2.7 3 2.7 11 0 14"/>'
    ),
    "copy": (
        '<rect x="9" y="12" width="12" height="15" rx="1.5"/>'
        '<path d="M13 12V9.5A1.5 1.5 0 0 1 14.5 8h11'
        'A1.5 1.5 0 0 1 27 9.5v12a1.5 1.5 0 0 1-1.5 1.5H21"/>'
    ),
    "venn": '<circle cx="14.5" cy="18" r="6.5"/><circle cx="21.5" cy="18" r="6.5"/>',
    # Algorithm records (DTPR for AI)
    "car": (
        '<path d="M8 23.5V19l2.5-1 2.5-5.5h10l2.5 5.5 2.5 1v4.5zM10.5 18h15"/>'
        '<circle cx="12.5" cy="24" r="2.2" fill="$bg"/>'
        '<circle cx="23.5" cy="24" r="2.2" fill="$bg"/>'
    ),
    "bicycle": (
        '<circle cx="11" cy="22" r="4.5"/><circle cx="25" cy="22" r="4.5"/>'
        '<path d="M11 22h6l-2-8h8l-6 8M11 22l4-8M23 14l2 8M15 14l-.5-2M13 12h3.5M23 14l-1-3h2.5"/>'
    ),
    "walker": (
        '<circle cx="19" cy="9.5" r="2.2" $dot/>'
        '<path d="M18.5 13.5 17 20.5l-4 6.5M17 20.5l3.5 3 .5 4M18.3 14.5l-4 2.5v3.5M18.3 14.5l3 3.5'
        ' 3.5 1"/>'
    ),
    "badge": (
        '<rect x="10.5" y="10" width="15" height="17" rx="2"/><path d="M15.5 10V8h5v2"/>'
        '<circle cx="18" cy="16" r="2.5"/><path d="M14 23.5a4 4 0 0 1 8 0"/>'
    ),
    "lightbulb": '<path d="M15 22.5v-2.2a7 7 0 1 1 6 0v2.2zM15.5 25.5h5M16.5 28h3"/>',
    "tally": '<path d="M11 10v16M15 10v16M19 10v16M23 10v16M8.5 24l19-12"/>',
    "priority": (
        '<rect x="9" y="9" width="18" height="4" rx="1"/><rect x="9" y="16" width="13" height="4" '
        'rx="1"/><rect x="9" y="23" width="8" height="4" rx="1"/>'
    ),
    "sparkle": (
        '<path d="M16 8l1.8 5.2L23 15l-5.2 1.8L16 22l-1.8-5.2L9 15l5.2-1.8z"/>'
        '<path d="M24 20l.9 2.1L27 23l-2.1.9L24 26l-.9-2.1L21 23l2.1-.9z"/>'
    ),
    "funnel": '<path d="M8.5 10h19l-7.5 8.5V26l-4 2v-9.5z"/>',
    "review_cycle": (
        '<path d="M26 16a8 8 0 0 0-14.6-4.4M10 20a8 8 0 0 0 14.6 4.4"/>'
        '<path d="M11 7.5V12h4.5M25 28.5V24h-4.5"/>'
    ),
    "pencil": '<path d="M22 9.5l4.5 4.5L14 26.5l-5.5 1 1-5.5zM19.5 12l4.5 4.5"/>',
    "hand": (
        '<path d="M13.5 20V12a1.5 1.5 0 0 1 3 0v6M16.5 18v-8a1.5 1.5 0 0 1 3 0v8'
        "M19.5 18v-6.5a1.5 1.5 0 0 1 3 0V19M22.5 19v-3.5a1.5 1.5 0 0 1 3 0V21a7 7 0 0 1-7 7h-1"
        'a6 6 0 0 1-4.8-2.4l-3.5-4.7a1.6 1.6 0 0 1 2.5-2L13.5 20"/>'
    ),
    "folder": (
        '<path d="M8 11.5v14a1 1 0 0 0 1 1h18a1 1 0 0 0 1-1v-11a1 1 0 0 0-1-1h-9l-2-3H9'
        'a1 1 0 0 0-1 1zM8 16h20"/>'
    ),
    "document_text": '<path d="M11 8h10l5 5v14H11zM21 8v5h5M14.5 17h7M14.5 20.5h7M14.5 24h4"/>',
    "rules": (
        '<rect x="13.5" y="8" width="9" height="6" rx="1"/>'
        '<rect x="8" y="22" width="8" height="6" rx="1"/>'
        '<rect x="20" y="22" width="8" height="6" rx="1"/><path d="M18 14v4M12 22v-4h12v4"/>'
    ),
    "neural_network": (
        '<circle cx="10" cy="13" r="2"/><circle cx="10" cy="23" r="2"/><circle cx="18" cy="10" '
        'r="2"/><circle cx="18" cy="18" r="2"/><circle cx="18" cy="26" r="2"/><circle cx="26" '
        'cy="18" r="2"/><path d="M12 12.2l4-1.5M11.8 14.2l4.4 2.6M11.8 21.8l4.4-2.6M12 23.8l4 1.5'
        'M19.6 11.3l4.8 5.3M20 18h4M19.6 24.7l4.8-5.3"/>'
    ),
    "bell": '<path d="M12 23v-6a6 6 0 0 1 12 0v6l2 2.5H10zM16 28h4M18 9v2"/>',
}

# A slash over a glyph means "not"; the wide background-coloured stroke keeps it legible where
# it crosses the symbol.
NOT_OVERLAY = (
    '<path d="M9.5 26.5 26.5 9.5" stroke="$bg" stroke-width="5"/><path d="M9.5 26.5 26.5 9.5"/>'
)

ELEMENT_GLYPHS: dict[tuple[str, str], str] = {
    ("accountable", "institution"): "institution",
    ("accountable", "organization"): "office",
    ("purpose", "accessibility"): "accessibility",
    ("purpose", "agency_interaction"): "speech",
    ("purpose", "arts_culture"): "palette",
    ("purpose", "commerce"): "bag",
    ("purpose", "connectivity"): "wifi",
    ("purpose", "dining"): "dining",
    ("purpose", "ecology"): "leaf",
    ("purpose", "energy_efficiency"): "bolt",
    ("purpose", "enforcement"): "gavel",
    ("purpose", "entry"): "door",
    ("purpose", "fire_emergency"): "flame",
    ("purpose", "health"): "cross",
    ("purpose", "inform"): "info",
    ("purpose", "logistics"): "box",
    ("purpose", "mobility"): "arrows",
    ("purpose", "planning_decision_making"): "chart",
    ("purpose", "research_development"): "flask",
    ("purpose", "safety_security"): "shield",
    ("purpose", "social"): "people",
    ("purpose", "waste_management"): "bin",
    ("purpose", "water_efficiency"): "drop",
    ("purpose", "wayfinding_services"): "signpost",
    ("tech", "air_quality"): "air",
    ("tech", "assistance_station"): "help",
    ("tech", "biometrics"): "fingerprint",
    ("tech", "cellular"): "cellular",
    ("tech", "chatbot"): "chat",
    ("tech", "contactless_payments"): "contactless",
    ("tech", "de_identified_image"): "photo",
    ("tech", "de_identified_video"): "video",
    ("tech", "de_identified_voice"): "voice",
    ("tech", "electric_vehicle_charger"): "ev_charger",
    ("tech", "facial_characterization"): "face",
    ("tech", "gps"): "crosshair",
    ("tech", "identifiable_image"): "photo",
    ("tech", "identifiable_video"): "video",
    ("tech", "identifiable_wifi_sensor"): "wifi",
    ("tech", "image"): "photo",
    ("tech", "image_infrared"): "photo_infrared",
    ("tech", "inclinometer"): "inclinometer",
    ("tech", "induction_loop"): "induction_loop",
    ("tech", "intercom"): "intercom",
    ("tech", "li_dar"): "lidar",
    ("tech", "location_beacon"): "beacon",
    ("tech", "microphone"): "microphone",
    ("tech", "motion_detector"): "motion",
    ("tech", "non_identifiable_video"): "video",
    ("tech", "person_detection"): "person_detection",
    ("tech", "personal_device"): "phone",
    ("tech", "radar"): "radar",
    ("tech", "soil_moisture_sensor"): "soil",
    ("tech", "sound_level_meter"): "speaker",
    ("tech", "system_screen"): "screen",
    ("tech", "technology_switch"): "toggle",
    ("tech", "thermometer"): "thermometer",
    ("tech", "ultrasonic_level_sensor"): "ultrasonic",
    ("tech", "unmanned_aircraft_system"): "drone",
    ("tech", "video_camera"): "video",
    ("tech", "video_camera_infrared"): "video_infrared",
    ("tech", "voice"): "voice",
    ("tech", "water_quality"): "water_quality",
    ("tech", "weather_station"): "weather",
    ("tech", "weighing_scale"): "weight",
    ("tech", "wireless_access_point"): "access_point",
    ("tech", "wireless_charging_roadway"): "charging_road",
    ("data", "binary"): "binary",
    ("data", "boolean"): "check_cross",
    ("data", "personal"): "person",
    ("data", "pixel_based_image"): "pixels",
    ("data", "spatial"): "pin",
    ("data", "tabular"): "table",
    ("data", "values_time"): "line_chart",
    ("process", "aggregated"): "sigma",
    ("process", "code_signing"): "code",
    ("process", "computer_vision"): "eye",
    ("process", "de_identified"): "person_dashed",
    ("process", "encrypted"): "lock",
    ("process", "encrypted_at_rest"): "lock_at_rest",
    ("process", "federated_learning"): "network",
    ("process", "hardware_audits"): "chip",
    ("process", "immutable_query_ledger"): "chain",
    ("process", "rdua_approved"): "approved",
    ("process", "regulated"): "scales",
    ("process", "reviewed_internally"): "magnifier",
    ("access", "available_for_resale"): "tag",
    ("access", "available_to_3rd_parties"): "people",
    ("access", "available_to_download"): "download",
    ("access", "available_to_me"): "person",
    ("access", "available_to_the_accountable_organization"): "institution",
    ("access", "available_to_vendor"): "shop",
    ("access", "not_available_to_me"): "person",
    ("access", "not_available_to_the_accountable_organization"): "institution",
    ("access", "not_available_to_vendor"): "shop",
    ("retention", "data_retained"): "clock",
    ("retention", "no_data_retained"): "clock",
    ("storage", "backed_up_internationally"): "globe_copy",
    ("storage", "backed_up_locally"): "copy",
    ("storage", "shared_storage_and_governance"): "venn",
    ("storage", "stored_locally"): "database",
    ("storage", "stored_on_3rd_party_cloud"): "cloud",
    ("storage", "stored_primarily_internationally"): "globe",
    ("storage", "stored_primarily_locally"): "database_pin",
}

# Elements that mean "not X" are drawn as X with a slash through it.
NEGATED_ELEMENTS: frozenset[tuple[str, str]] = frozenset(
    {
        ("access", "not_available_to_me"),
        ("access", "not_available_to_the_accountable_organization"),
        ("access", "not_available_to_vendor"),
        ("retention", "no_data_retained"),
    }
)

# Abbreviations people already know; anything else without a glyph falls back to initials.
MONOGRAMS: dict[tuple[str, str], str] = {
    ("tech", "augmented_reality"): "AR",
    ("tech", "dtpr_api"): "API",
    ("tech", "hands_free"): "HF",
    ("tech", "identifiable_nfc"): "NFC",
    ("tech", "identifiable_rfid"): "RF",
    ("tech", "nfc"): "NFC",
    ("tech", "passive_infrared_sensor"): "PIR",
    ("tech", "piezoelectric_sensor"): "PZ",
    ("tech", "rfid"): "RF",
    ("process", "ai_system"): "AI",
    ("process", "bitmap_manipulation"): "BM",
    ("process", "cryptonets"): "CN",
    ("process", "differential_privacy"): "DP",
    ("process", "homomorphic_encryption"): "HE",
    ("process", "k_anonymity"): "K",
    ("process", "raw_data"): "RAW",
    ("process", "secure_multi_party_computing"): "MPC",
    ("process", "transport_layer_security"): "TLS",
    ("process", "trusted_execution_environment"): "TEE",
    ("process", "zero_knowledge_proofs"): "ZKP",
}


# Symbols for the elements only the AI taxonomy has. Elements it reuses from the device
# taxonomy (purposes, access, retention, storage and so on) keep their device symbol.
AI_ELEMENT_GLYPHS: dict[tuple[str, str], str] = {
    ("purpose", "eligibility_assessment"): "approved",
    ("purpose", "fraud_error_detection"): "magnifier",
    ("affected", "residents"): "people",
    ("affected", "service_users"): "person",
    ("affected", "drivers"): "car",
    ("affected", "pedestrians"): "walker",
    ("affected", "cyclists"): "bicycle",
    ("affected", "visitors"): "signpost",
    ("affected", "businesses"): "shop",
    ("affected", "staff"): "badge",
    ("functional_modes", "automated_decision"): "chip",
    ("functional_modes", "decision_support"): "lightbulb",
    ("functional_modes", "detection"): "radar",
    ("functional_modes", "classification"): "tag",
    ("functional_modes", "prediction"): "line_chart",
    ("functional_modes", "counting"): "tally",
    ("functional_modes", "prioritisation"): "priority",
    ("functional_modes", "content_generation"): "sparkle",
    ("functional_modes", "matching"): "venn",
    ("risks_mitigation", "human_oversight"): "eye",
    ("risks_mitigation", "bias_testing"): "scales",
    ("risks_mitigation", "accuracy_monitoring"): "gauge",
    ("risks_mitigation", "impact_assessment"): "approved",
    ("risks_mitigation", "independent_audit"): "magnifier",
    ("risks_mitigation", "data_minimisation"): "funnel",
    ("risks_mitigation", "security_testing"): "shield",
    ("risks_mitigation", "regular_review"): "review_cycle",
    ("rights", "right_access"): "download",
    ("rights", "right_algorithmic_transparency"): "code",
    ("rights", "right_be_forgotten"): "bin",
    ("rights", "right_contest"): "speech",
    ("rights", "right_correction"): "pencil",
    ("rights", "right_individual_decision_explanation"): "help",
    ("rights", "right_non_discrimination"): "scales",
    ("rights", "right_object"): "hand",
    ("rights", "right_purpose_limitation"): "crosshair",
    ("rights", "right_to_human_review"): "person",
    ("rights", "right_to_notice"): "info",
    ("input_dataset", "service_records"): "folder",
    ("input_dataset", "free_text"): "document_text",
    ("input_dataset", "third_party_data"): "office",
    ("input_dataset", "open_data"): "download",
    ("processing", "rules_based"): "rules",
    ("processing", "machine_learning"): "neural_network",
    ("processing", "large_language_model"): "chat",
    ("processing", "profiling"): "person_detection",
    ("output_dataset", "decision"): "check_cross",
    ("output_dataset", "recommendation"): "lightbulb",
    ("output_dataset", "score"): "gauge",
    ("output_dataset", "label"): "tag",
    ("output_dataset", "ranked_list"): "priority",
    ("output_dataset", "forecast"): "line_chart",
    ("output_dataset", "alert"): "bell",
    ("output_dataset", "generated_content"): "sparkle",
    ("output_dataset", "statistics"): "chart",
}

AI_MONOGRAMS: dict[tuple[str, str], str] = {
    ("affected", "children_young_people"): "CYP",
    ("input_dataset", "special_category_data"): "SPD",
}

# The tables for each datachain type; icons.py follows an element's ``reused_from`` chain
# through them, so a reused element needs no entry of its own.
ELEMENT_GLYPHS_BY_DATACHAIN: dict[str, dict[tuple[str, str], str]] = {
    "device": ELEMENT_GLYPHS,
    "ai": AI_ELEMENT_GLYPHS,
}
MONOGRAMS_BY_DATACHAIN: dict[str, dict[tuple[str, str], str]] = {
    "device": MONOGRAMS,
    "ai": AI_MONOGRAMS,
}
NEGATED_ELEMENTS_BY_DATACHAIN: dict[str, frozenset[tuple[str, str]]] = {
    "device": NEGATED_ELEMENTS,
    "ai": frozenset(),
}
