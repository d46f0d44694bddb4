"""What a Spotify account has been listening to, read as taste signals (``aidj.taste``).

Eight reads, one page each: top artists and top tracks over the three time ranges, the last
plays and the newest saved tracks, all endpoints a development-mode app keeps after March 2026.
A list the token's scopes do not cover (403) is skipped and named, so a listener who granted
only ``user-top-read`` still gets a profile; every other failure is the client's usual error.
"""

from __future__ import annotations

from dataclasses import dataclass

from aidj.taste import signals as taste_signals
from aidj.taste.signals import TIME_RANGES, Signal
from aidj_service.clients.spotify import SpotifyClient, SpotifyForbiddenError


@dataclass(frozen=True, slots=True)
class Listening:
    signals: list[Signal]
    skipped: list[str]  # lists Spotify refused (scope not granted), e.g. "saved tracks"


def read_listening(client: SpotifyClient) -> Listening:
    """Every signal Spotify can give about the token's user, in a fixed order."""
    found: list[Signal] = []
    skipped: list[str] = []
    reads = [
        *(
            (
                f"top artists ({term})",
                lambda t=term: taste_signals.from_top_artists(client.top("artists", t), t),
            )
            for term in TIME_RANGES
        ),
        *(
            (
                f"top tracks ({term})",
                lambda t=term: taste_signals.from_top_tracks(client.top("tracks", t), t),
            )
            for term in TIME_RANGES
        ),
        ("recently played", lambda: taste_signals.from_recently_played(client.recently_played())),
        ("saved tracks", lambda: taste_signals.from_saved_tracks(client.saved_tracks())),
    ]
    for name, read in reads:
        try:
            found.extend(read())
        except SpotifyForbiddenError as exc:
            if exc.user_not_registered:
                raise  # the whole account is refused, not one list
            skipped.append(name)
    return Listening(found, skipped)
