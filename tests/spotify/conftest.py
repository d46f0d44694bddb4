"""Fixtures for the Spotify client tests: the fake Spotify server on 127.0.0.1."""

from tests.support.fake_spotify import fake_spotify  # noqa: F401  (re-exported fixture)
