"""A taste profile: what it is built from, what it believes, how it is stored."""

from __future__ import annotations

import json

from aidj.taste.build import build, fold
from aidj.taste.explain import summary
from aidj.taste.profile import STRONG_AGAINST, Source, TasteProfile, combine
from aidj.taste.signals import (
    Signal,
    excluded,
    from_edit,
    from_recently_played,
    from_saved_tracks,
    from_top_artists,
    from_top_tracks,
    steering,
)

TRIP_HOP = ["Portishead", "Massive Attack", "Tricky"]


def _top(names, term="medium_term"):
    return from_top_artists([{"name": n, "id": f"id{n}", "type": "artist"} for n in names], term)


def test_top_artists_become_weighted_artists_with_their_source(catalog):
    profile = build(_top(TRIP_HOP), catalog)
    ranked = profile.ranked_artists()
    assert [e.name for e in ranked] == TRIP_HOP  # the first of a ranking counts most
    assert all(e.weight > 0 and e.source == Source.TOP_MEDIUM.value for e in ranked)


def test_genres_come_through_the_catalog(catalog):
    profile = build(_top(TRIP_HOP), catalog)
    assert profile.ranked_genres(1)[0].name == "trip-hop"


def test_the_audio_centre_is_the_sound_of_what_they_play(catalog):
    calm = build(_top(["Bill Evans", "Chet Baker"]), catalog).centre_features()
    loud = build(_top(["Slayer", "Megadeth"]), catalog).centre_features()
    assert calm["energy"] < 0.4 < 0.8 < loud["energy"]


def test_track_items_from_every_spotify_list_become_signals():
    track = {
        "id": "4uLU6hMCjMI75M1A2tKUQC",
        "name": "Glory Box",
        "artists": [{"name": "Portishead"}],
    }
    signals = [
        *from_top_tracks([track], "short_term"),
        *from_recently_played([{"track": track, "played_at": "2026-03-01T10:00:00Z"}]),
        *from_saved_tracks([{"track": track, "added_at": "2026-03-01T10:00:00Z"}]),
    ]
    assert [s.source for s in signals] == [Source.TOP_SHORT, Source.RECENT, Source.SAVED]
    assert all(s.artists == ("Portishead",) and s.track_id == track["id"] for s in signals)


def test_items_without_a_name_or_id_are_skipped_not_fatal():
    assert from_top_tracks([{}, None, {"artists": "x"}], "long_term") == []
    assert from_top_artists([{"name": "  "}, 3], "short_term") == []


def test_removed_and_swapped_tracks_count_against_their_artist(catalog):
    signals = [from_edit(Source.REMOVED, "x", ["Portishead"]) for _ in range(3)]
    signals.append(from_edit(Source.SWAPPED, "y", ["Portishead"]))
    assert build(signals, catalog).artists["portishead"].weight < 0


def test_kept_and_locked_tracks_count_for_their_artist(catalog):
    signals = [from_edit(Source.KEPT, "x", ["Air"]), from_edit(Source.LOCKED, "y", ["Air"])]
    assert build(signals, catalog).artists["air"].weight > 0


def test_an_artist_excluded_twice_is_a_strong_against(catalog):
    once = build(_top(["Drake"]) + excluded(["Drake"]), catalog)
    twice = fold(once, excluded(["Drake"]), catalog)
    assert once.artists["drake"].weight > STRONG_AGAINST
    assert twice.artists["drake"].weight == STRONG_AGAINST


def test_never_bans_and_a_later_more_lifts_the_ban(catalog):
    banned = build(steering(never=[{"artist": "portishead"}, {"genre": "country"}]), catalog)
    assert banned.never_artists == ("Portishead",)  # the catalog's spelling
    assert banned.never_genres == ("country",)
    lifted = fold(banned, steering(more=[{"artist": "Portishead"}]), catalog)
    assert lifted.never_artists == ()
    assert lifted.artists["portishead"].source == Source.MORE.value


def test_folding_in_batches_equals_building_at_once(catalog):
    first, second = _top(TRIP_HOP, "short_term"), _top(["Air", "Portishead"], "long_term")
    at_once = build(first + second, catalog)
    in_steps = fold(build(first, catalog), second, catalog)
    assert in_steps.to_dict() == at_once.to_dict()


def test_the_stored_form_round_trips_and_is_plain_sorted_json(catalog):
    profile = build(_top(TRIP_HOP) + steering(less=[{"genre": "pop"}]), catalog)
    stored = json.loads(json.dumps(profile.to_dict()))
    assert TasteProfile.from_dict(stored) == profile
    assert [a[0] for a in stored["artists"]] == sorted(a[0] for a in stored["artists"])


def test_an_empty_profile_reads_from_nothing():
    assert TasteProfile.from_dict(None).empty
    assert TasteProfile.from_dict({}).to_dict() == TasteProfile().to_dict()


def test_the_summary_is_written_in_the_listeners_language(catalog):
    profile = build(_top(TRIP_HOP), catalog)
    assert summary(profile, "en").startswith(
        "You play a lot of Portishead, Massive Attack and Tricky"
    )
    assert summary(profile, "es").startswith("Escuchas mucho a Portishead, Massive Attack y Tricky")
    assert "Spotify" in summary(TasteProfile(), "de")


def test_a_signal_for_an_artist_the_catalog_lacks_still_counts(catalog):
    profile = build([Signal(Source.MORE, ("Nobody Anyone Knows",))], catalog)
    assert profile.artists["nobody anyone knows"].weight > 0
    assert profile.genres == {}


def test_an_imported_and_an_own_profile_combine_with_the_own_bans(catalog):
    imported = build(_top(TRIP_HOP), catalog)
    own = build(steering(more=[{"artist": "Portishead"}], never=[{"artist": "Tricky"}]), catalog)
    both = combine(imported, own.with_use(False))
    portishead = both.artists["portishead"]
    assert (
        portishead.score == imported.artists["portishead"].score + own.artists["portishead"].score
    )
    assert portishead.sources == (Source.TOP_MEDIUM.value, Source.MORE.value)
    assert both.never_artists == ("Tricky",) and both.use is False


def test_the_summary_leaves_out_what_the_listener_banned(catalog):
    profile = build(
        steering(
            more=[{"artist": "Nickelback"}, {"artist": "Air"}], never=[{"artist": "Nickelback"}]
        ),
        catalog,
    )
    assert summary(profile, "en").startswith("You play a lot of Air,")


def test_an_artist_turned_against_names_what_turned_it(catalog):
    signals = _top(["Portishead"], "long_term") + [
        from_edit(Source.REMOVED, f"t{n}", ["Portishead"]) for n in range(3)
    ]
    entry = build(signals, catalog).artists["portishead"]
    assert entry.weight < 0 and entry.source == Source.REMOVED.value
