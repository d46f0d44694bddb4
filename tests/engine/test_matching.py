"""Matching our tracks to another platform's search results (aidj.matching): a specification."""

from __future__ import annotations

import json

from aidj.catalog import normalize_text
from aidj.languages import language_packs
from aidj.matching import (
    STUDIO,
    THRESHOLD,
    VERSIONS_PATH,
    Candidate,
    Match,
    Unmatched,
    Wanted,
    base_title,
    best_match,
    match_tracks,
    score,
    search_query,
    split_title,
    version_kinds,
)
from tests.support.delivery_playlist import (
    CREEP_RADIOHEAD,
    EXPECTED_UNMATCHED,
    HALLELUJAH_COHEN,
    HOTEL_CALIFORNIA_LIVE,
    YELLOW_COLDPLAY,
    expected_target,
    playlist,
    search_catalog,
    track,
)


def song(target_id: str, name: str, *artists: str, seconds: float | None = None, album: str = ""):
    return Candidate(
        target_id, name, artists, None if seconds is None else int(seconds * 1000), album
    )


def seconds(t: Wanted) -> float:
    return (t.duration_ms or 0) / 1000


# --------------------------------------------------------------- titles and version marks


def test_a_title_splits_into_its_base_and_its_version_marks():
    assert split_title("Hotel California - Live On MTV, 1994") == (
        "Hotel California",
        ("Live On MTV, 1994",),
    )
    assert split_title("Yellow (Live) [2011 Remaster]") == ("Yellow", ("Live", "2011 Remaster"))


def test_version_marks_fold_away_from_the_base_title():
    assert base_title("Creep (Remastered 2009)") == base_title("CREEP") == "creep"
    assert base_title("Don't Stop Me Now - Remastered 2011") == base_title("Dont Stop Me Now")


def test_live_remix_and_acoustic_marks_are_recognised_in_several_languages():
    assert version_kinds(["Live at Wembley"]) == {"live"}
    assert version_kinds(["En Vivo"]) == {"live"}
    assert version_kinds(["Ao Vivo"]) == {"live"}
    assert version_kinds(["Club Remix"]) == {"remix"}
    assert version_kinds(["Acústico"]) == {"acoustic"}


def test_a_neutral_mark_is_not_another_version():
    assert version_kinds(["2011 Remaster", "Radio Edit", "Original Mix", "feat. Drake"]) == set()


def test_a_version_word_inside_the_base_title_is_not_a_mark():
    base, marks = split_title("Live and Let Die")
    assert base == "Live and Let Die" and marks == ()
    assert version_kinds(marks) == set()


def test_version_words_are_data_folded_and_not_keyed_by_language():
    data = json.loads(VERSIONS_PATH.read_text(encoding="utf-8"))
    phrases = [p for kind in data["penalised"].values() for p in kind] + data["neutral"]
    assert all(p == normalize_text(p) for p in phrases), "write the marks folded"
    assert not set(data) & set(language_packs().codes)


def test_the_search_query_is_the_bare_title_and_the_first_artist():
    assert search_query(track(HOTEL_CALIFORNIA_LIVE)) == "Hotel California Eagles"


# --------------------------------------------------------------- choosing a candidate


def test_the_same_title_by_the_same_artist_and_length_is_matched_with_full_confidence():
    creep = track(CREEP_RADIOHEAD)
    found = best_match(creep, [song("a1", "Creep", "Radiohead", seconds=seconds(creep))])
    assert found == Match(CREEP_RADIOHEAD, "a1", 1.0)


def test_a_decoy_with_the_same_title_by_another_artist_is_never_matched():
    cohen = track(HALLELUJAH_COHEN)
    found = best_match(
        cohen,
        [
            song("b", "Hallelujah", "Jeff Buckley", seconds=seconds(cohen)),
            song("w", "Hallelujah", "Rufus Wainwright", seconds=seconds(cohen)),
        ],
    )
    assert isinstance(found, Unmatched)
    assert found.reason == "other_artist"
    assert found.closest is not None and found.closest.artists == ("Jeff Buckley",)


def test_the_right_artist_wins_over_a_decoy_listed_first():
    creep = track(CREEP_RADIOHEAD)
    found = best_match(
        creep,
        [
            song("stp", "Creep", "Stone Temple Pilots", seconds=332.6),
            song("rh", "Creep", "Radiohead", seconds=seconds(creep) + 1),
        ],
    )
    assert isinstance(found, Match) and found.target_id == "rh"


def test_a_live_version_of_a_studio_track_is_left_out_with_the_reason():
    yellow = track(YELLOW_COLDPLAY)
    found = best_match(
        yellow, [song("l", "Yellow (Live in Buenos Aires)", "Coldplay", seconds=seconds(yellow))]
    )
    assert isinstance(found, Unmatched)
    assert found.reason == "other_version"
    assert found.version == "live"


def test_a_live_track_is_not_replaced_by_the_studio_version():
    live = track(HOTEL_CALIFORNIA_LIVE)
    found = best_match(live, [song("s", "Hotel California", "Eagles", seconds=391)])
    assert isinstance(found, Unmatched) and found.reason == "other_version"
    assert found.version == STUDIO


def test_a_live_track_matches_the_same_live_recording():
    live = track(HOTEL_CALIFORNIA_LIVE)
    found = best_match(
        live,
        [
            song("s", "Hotel California", "Eagles", seconds=391),
            song("l", "Hotel California (Live on MTV 1994)", "Eagles", seconds=seconds(live)),
        ],
    )
    assert isinstance(found, Match) and found.target_id == "l"


def test_a_bare_title_on_an_album_named_live_is_another_version():
    yellow = track(YELLOW_COLDPLAY)
    candidate = song("l", "Yellow", "Coldplay", seconds=seconds(yellow), album="Live 2003")
    scored = score(yellow, candidate)
    assert scored.problem == "other_version" and scored.confidence < 1.0
    assert isinstance(best_match(yellow, [candidate]), Unmatched)


def test_a_candidate_below_the_threshold_is_not_taken():
    creep = track(CREEP_RADIOHEAD)
    near = song("n", "Creeps", "Radiohead", seconds=seconds(creep) + 17)
    assert score(creep, near).confidence < THRESHOLD
    found = best_match(creep, [near])
    assert isinstance(found, Unmatched) and found.reason == "low_confidence"


def test_a_remastered_release_is_the_same_recording():
    creep = track(CREEP_RADIOHEAD)
    found = best_match(
        creep, [song("r", "Creep (Remastered 2009)", "Radiohead", seconds=seconds(creep))]
    )
    assert isinstance(found, Match)


def test_no_search_result_is_reported_as_not_found():
    found = best_match(track(HOTEL_CALIFORNIA_LIVE), [])
    assert isinstance(found, Unmatched) and found.reason == "not_found"


def test_durations_a_few_seconds_apart_still_agree():
    creep = track(CREEP_RADIOHEAD)
    found = best_match(creep, [song("c", "Creep", "Radiohead", seconds=seconds(creep) + 3)])
    assert isinstance(found, Match) and found.confidence == 1.0


def test_a_much_longer_recording_with_the_same_title_is_left_out():
    creep = track(CREEP_RADIOHEAD)
    found = best_match(creep, [song("c", "Creep", "Radiohead", seconds=seconds(creep) + 95)])
    assert isinstance(found, Unmatched) and found.reason == "duration_differs"


def test_a_platform_without_durations_is_judged_on_title_and_artist():
    creep = track(CREEP_RADIOHEAD)
    assert best_match(creep, [song("c", "Creep", "Radiohead")]) == Match(CREEP_RADIOHEAD, "c", 1.0)


def test_an_artist_inside_a_joined_artist_string_counts():
    duet = Wanted("x", "Hallelujah", ("Carrie Underwood", "John Legend"), 275_099)
    found = best_match(
        duet, [song("d", "Hallelujah", "Carrie Underwood & John Legend", seconds=275)]
    )
    assert isinstance(found, Match) and found.confidence == 1.0


def test_a_similar_but_different_title_is_another_song():
    yellow = track(YELLOW_COLDPLAY)
    found = best_match(yellow, [song("s", "Yellow Submarine", "Coldplay", seconds=seconds(yellow))])
    assert isinstance(found, Unmatched) and found.reason == "title_differs"


def test_equal_candidates_go_to_the_platform_s_first():
    creep = track(CREEP_RADIOHEAD)
    twins = [song(i, "Creep", "Radiohead", seconds=seconds(creep)) for i in ("first", "second")]
    assert best_match(creep, twins) == Match(CREEP_RADIOHEAD, "first", 1.0)


# --------------------------------------------------------------- a whole playlist


def _search(t: Wanted) -> list[Candidate]:
    return [
        Candidate(s.id, s.title, (s.artist,), s.duration_ms, s.album)
        for s in search_catalog(search_query(t), limit=5)
    ]


def test_a_20_track_playlist_is_matched_as_planted():
    report = match_tracks(playlist(), _search)
    assert len(playlist()) == 20
    assert {u.track_id: u.reason for u in report.unmatched} == EXPECTED_UNMATCHED
    assert [(m.track_id, m.target_id) for m in report.matches] == [
        (t.track_id, expected_target(t.track_id))
        for t in playlist()
        if t.track_id not in EXPECTED_UNMATCHED
    ]


def test_matching_a_playlist_twice_gives_the_same_answer():
    assert match_tracks(playlist(), _search) == match_tracks(playlist(), _search)


def test_one_platform_song_is_used_for_one_track_only():
    creep = track(CREEP_RADIOHEAD)
    only = [song("c", "Creep", "Radiohead", seconds=seconds(creep))]
    report = match_tracks([creep, creep], lambda t: only)
    assert [m.target_id for m in report.matches] == ["c"]
    assert [u.reason for u in report.unmatched] == ["not_found"]
