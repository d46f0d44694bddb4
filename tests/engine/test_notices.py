"""Every answer says plainly what it could not honour, in the prompt's language where we read it."""

import pytest

from aidj.engine import build_playlist
from aidj.intent import Intent
from aidj.language import detect
from aidj.notices import render


@pytest.mark.parametrize(
    ("prompt", "language"),
    [
        ("energetic music for working out", "en"),
        ("música tranquila para dormir", "es"),
        ("música para uma festa", "pt"),
        ("musique calme pour dormir", "fr"),
        ("ruhige Musik zum Einschlafen", "de"),
        ("canzoni allegre per l'estate", "it"),
        ("энергичная музыка для спорта", "ru"),
        ("元気な音楽をください", "ja"),
        ("신나는 음악", "ko"),
    ],
)
def test_the_prompts_language_is_recognised(prompt, language):
    assert detect(prompt) == language


def test_a_prompt_in_a_language_we_do_not_read_says_so(dj):
    playlist = dj.playlist("энергичная музыка для спорта")
    assert playlist.tracks and any("Russian" in n for n in playlist.notices)


def test_gibberish_says_what_was_not_understood(dj):
    playlist = dj.playlist("florp zizzle wubwub")
    assert playlist.tracks and any("florp zizzle wubwub" in n for n in playlist.notices)


def test_a_fully_honoured_prompt_has_no_notices(dj):
    assert dj.playlist("a 30 minute jazz set for dinner").notices == []


def test_notices_come_in_the_prompts_language():
    spanish = render(["era_thin:1950:1959:4:1945:1964"], "es")[0]
    assert "de los años 50" in spanish and "Solo 4" in spanish
    assert "aus den 80er-Jahren" in render(["era_none:1980:1989"], "de")[0]
    assert render(["era_thin:1950:1959:4:1945:1964"], "pl") == render(
        ["era_thin:1950:1959:4:1945:1964"], "en"
    )


def test_an_unknown_code_is_left_out_rather_than_garbled():
    assert render(["from_a_newer_backend:x"], "en") == []


def test_an_era_selects_dated_tracks_from_inside_it(both_catalogs):
    playlist = build_playlist(both_catalogs, Intent(year_min=1980, year_max=1989, limit=20))
    assert len(playlist.tracks) == 20 and playlist.notices == []
    assert all(t.year is not None and 1980 <= t.year <= 1989 for t in playlist.tracks)


def test_a_thin_era_is_widened_and_says_so(both_catalogs):
    playlist = build_playlist(
        both_catalogs, Intent(year_min=1950, year_max=1959, limit=20, language="en")
    )
    assert len(playlist.tracks) == 20
    assert playlist.notices and "1950s" in playlist.notices[0]


def test_an_era_on_a_catalog_without_years_is_dropped_with_a_notice(catalog):
    playlist = build_playlist(catalog, Intent(year_min=1980, year_max=1989, limit=10))
    assert len(playlist.tracks) == 10 and "1980s" in playlist.notices[0]


def test_a_per_track_cap_holds_for_every_track(both_catalogs):
    playlist = build_playlist(both_catalogs, Intent(max_track_seconds=180, energy=0.8, limit=25))
    assert len(playlist.tracks) == 25 and all(t.duration_ms <= 180_000 for t in playlist.tracks)


def test_nothing_explicit_leaves_out_tracks_whose_lyrics_nobody_vouched_for(both_catalogs):
    playlist = build_playlist(both_catalogs, Intent(explicit=False, genres=["rap"], limit=20))
    for t in playlist.tracks:
        i = both_catalogs.index_of(t.id)
        assert both_catalogs.explicit_known[i] and not both_catalogs.explicit[i]
