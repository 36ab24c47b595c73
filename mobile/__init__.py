"""Plainsight's Kivy app: scan a device's sign, log readings and answer surveys offline.

``mobile.services`` holds everything that is not drawing (the local store, the API client,
sync, form rules) and imports nothing from Kivy, so it is tested and benchmarked on its own.
``mobile.platform`` hides the phone's hardware (camera, GPS, photos) behind adapters with a
desktop fallback. ``mobile.screens`` pairs each screen's behaviour (``.py``) with its layout
(``.kv``).
"""
