"""Eras in every language we read become a release-year range; numbers that are not eras stay what they are."""

import pytest


@pytest.mark.parametrize(
    ("prompt", "years"),
    [
        ("80s synth pop", (1980, 1989)),
        ("the nineties", (1990, 1999)),
        ("early 2010s indie", (2010, 2013)),
        ("late 90s hip hop", (1996, 1999)),
        ("mid-80s", (1983, 1986)),
        ("songs from 1995 to 2005", (1995, 2005)),
        ("años 2000 reggaeton", (2000, 2009)),
        ("música de los ochenta", (1980, 1989)),
        ("finales de los 80 rock", (1986, 1989)),
        ("anos 80 rock brasileiro", (1980, 1989)),
        ("musique des années 80", (1980, 1989)),
        ("fin des années 70", (1976, 1979)),
        ("70ern Disco", (1970, 1979)),
        ("Hits der Achtziger", (1980, 1989)),
        ("Anfang der 80er", (1980, 1983)),
        ("anni '90 dance", (1990, 1999)),
        ("fine anni 80", (1986, 1989)),
        ("disco voor een jaren 70 feestje", (1970, 1979)),
        ("muziek uit de jaren tachtig", (1980, 1989)),
        ("eind jaren 90 hiphop", (1996, 1999)),
        ("tachtiger jaren rock", (1980, 1989)),
    ],
)
def test_an_era_becomes_a_year_range(rules_only, prompt, years):
    intent = rules_only.interpret(prompt)
    assert (intent.year_min, intent.year_max) == years


@pytest.mark.parametrize(
    "prompt",
    [
        "a 90 minute set",
        "30 songs",
        "128 bpm house",
        "top 40 hits",
        "una playlist de 20 canciones",
        "30 minutos de rock",
        "tachtig minuten jazz",
    ],
)
def test_lengths_counts_and_tempos_are_not_eras(rules_only, prompt):
    intent = rules_only.interpret(prompt)
    assert intent.year_min is None and intent.year_max is None


def test_an_era_and_a_length_in_one_prompt_are_both_read(rules_only):
    intent = rules_only.interpret("30 minutos de rock de los 90")
    assert intent.duration_minutes == 30 and (intent.year_min, intent.year_max) == (1990, 1999)


def test_a_style_the_catalog_rarely_dates_keeps_the_style_and_says_the_era_was_left_out(dj):
    playlist = dj.playlist("rock nacional brasileiro anos 90")
    assert (
        sum("brazil" in t.genres or "mpb" in t.genres for t in playlist.tracks)
        >= len(playlist.tracks) * 0.6
    )
    assert playlist.notices and "anos 90" in playlist.notices[0]  # said in Portuguese


def test_an_era_reaches_for_the_dated_files_labels_of_a_style(dj, both_catalogs):
    from aidj.engine import build_playlist

    playlist = build_playlist(both_catalogs, dj.interpret("late 90s hip hop, exactly 15 tracks"))
    assert len(playlist.tracks) == 15 and playlist.notices == []
    assert all(t.year and 1996 <= t.year <= 1999 for t in playlist.tracks)
