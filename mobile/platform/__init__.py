"""Adapters for the phone's hardware, each with a desktop fallback so the app runs on a laptop."""
