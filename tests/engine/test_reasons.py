"""'Why it was picked' tells a listener what the track does here, not one repeated number."""

import re

from aidj.engine import build_playlist
from aidj.intent import EnergyArc, Intent
from aidj.track_reasons import Reasons


def test_an_arcs_tracks_name_their_role(catalog):
    playlist = build_playlist(catalog, Intent(genres=["house"], arc=EnergyArc.BUILD_UP, limit=12))
    reasons = [t.reason for t in playlist.tracks]
    assert reasons[0].startswith("opens") and reasons[-1].startswith("the top of the climb")
    assert all("builds" in r for r in reasons[1:-1])


def test_every_track_but_the_first_says_how_it_follows_the_previous_one(catalog):
    playlist = build_playlist(catalog, Intent(genres=["techno"], limit=10))
    assert playlist.tracks[0].transition == ""
    pattern = re.compile(
        r"^\d{1,2}[AB] → \d{1,2}[AB]( \(key change\))?, \d+ → \d+ BPM( \(half/double time\))?, energy ([+-]\d\.\d\d|steady)$"
    )
    assert all(pattern.match(t.transition) for t in playlist.tracks[1:])


def test_reasons_differ_from_track_to_track(catalog):
    playlist = build_playlist(catalog, Intent(energy=0.8, valence=0.7, limit=20))
    assert len({t.reason for t in playlist.tracks}) >= 5


def test_a_middling_target_is_not_offered_as_a_reason(catalog):
    # "valence 0.55 (want 0.55)" in every row told a listener nothing
    playlist = build_playlist(
        catalog, Intent(genres=["jazz"], valence=0.55, speechiness=0.05, limit=10)
    )
    assert not any("valence" in t.reason or "speechiness" in t.reason for t in playlist.tracks)


def test_a_clean_request_is_answered_in_the_reason(catalog):
    playlist = build_playlist(catalog, Intent(genres=["hip-hop"], explicit=False, limit=5))
    assert all("clean" in t.reason for t in playlist.tracks)


def test_a_reason_names_the_first_five_things_a_track_answers():
    # every column answered by every track: the role, the era, the tempo, clean, the length, a hit
    intent = Intent(
        arc=EnergyArc.FLAT, year_min=1990, tempo=120.0, explicit=False, max_track_seconds=600
    )
    intent = intent.replace(popularity=80)
    reasons = Reasons(intent, {}).of(
        {"tempo": [120.4, 99.6, 130.0]},
        [1995, 1999, 2001],
        [185_000, 200_000, 61_000],
        [80, 90, 70],
        [[], [], []],
        [["a"], ["b"], ["c"]],
    )
    assert reasons == [
        "opens the set, from 1995, 120 BPM, clean, 3:05 long",
        "from 1999, 100 BPM, clean, 3:20 long, a hit (popularity 90)",
        "closes the set, from 2001, 130 BPM, clean, 1:01 long",
    ]
