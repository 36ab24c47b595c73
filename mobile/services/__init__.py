"""The app's logic without Kivy: local store, API client, sync, form rules, device summaries."""
