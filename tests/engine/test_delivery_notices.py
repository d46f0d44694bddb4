"""A delivery says why it left each track out, and how many, in the playlist's language."""

from __future__ import annotations

import json

import pytest

from aidj.delivery_notices import left_out, why
from aidj.languages import language_packs
from aidj.languages.schema import VERSION_NAMES
from aidj.matching import REASONS, STUDIO, VERSIONS_PATH, Candidate, Unmatched

WRITTEN = ("en", "es", "pt", "fr", "de", "it", "nl")
OTHERS = WRITTEN[1:]
CLOSEST = Candidate("c1", "Hallelujah", ("Jeff Buckley",), 413_000, "Grace")


def left(reason: str, *, version: str | None = None, seconds: int | None = None) -> Unmatched:
    """Cohen's "Hallelujah" left out for ``reason``, about the candidate matching names."""
    closest = None if reason == "not_found" else CLOSEST
    return Unmatched("t1", "Hallelujah", ("Leonard Cohen",), reason, closest, version, seconds)


def example(reason: str) -> Unmatched:
    if reason == "other_version":
        return left(reason, version="live")
    if reason == "duration_differs":
        return left(reason, seconds=25)
    return left(reason)


def test_every_language_we_write_has_a_notices_pack():
    assert set(WRITTEN) <= set(language_packs().codes)


@pytest.mark.parametrize("reason", REASONS)
@pytest.mark.parametrize("language", WRITTEN)
def test_each_reason_is_a_whole_sentence_naming_the_platform(reason, language):
    sentence = why(example(reason), "Apple Music", language)
    assert sentence.strip() and "{" not in sentence and "Apple Music" in sentence
    if reason != "not_found":
        assert "Hallelujah" in sentence and "Jeff Buckley" in sentence


@pytest.mark.parametrize("reason", REASONS)
@pytest.mark.parametrize("language", OTHERS)
def test_each_reason_is_written_in_the_language_not_english(reason, language):
    assert why(example(reason), "Subsonic", language) != why(example(reason), "Subsonic", "en")


@pytest.mark.parametrize("language", OTHERS)
@pytest.mark.parametrize(("matched", "total"), [(17, 20), (19, 20), (0, 20)])
def test_the_left_out_notice_is_written_in_the_language(language, matched, total):
    (own,) = left_out("Subsonic", matched=matched, total=total, language=language)
    (english,) = left_out("Subsonic", matched=matched, total=total, language="en")
    assert own.strip() and "{" not in own and "Subsonic" in own and own != english


@pytest.mark.parametrize("version", sorted(VERSION_NAMES))
@pytest.mark.parametrize("language", OTHERS)
def test_each_version_is_named_in_the_language(version, language):
    kind = STUDIO if version == "studio" else version
    own = why(left("other_version", version=kind), "Subsonic", language)
    assert own != why(left("other_version", version=kind), "Subsonic", "en")
    assert language_packs().packs[language].notices.versions[version]


def test_the_version_names_are_the_kinds_matching_tells_apart():
    kinds = json.loads(VERSIONS_PATH.read_text(encoding="utf-8"))["penalised"]
    assert {*kinds, "studio"} == VERSION_NAMES


def test_a_studio_candidate_is_named_as_the_studio_version():
    assert "the studio version" in why(left("other_version", version=STUDIO), "Subsonic", "en")


def test_several_artists_are_joined_as_the_language_lists_names():
    duet = Candidate("d", "Hallelujah", ("Pentatonix", "Jeff Buckley"))
    sentence = why(
        Unmatched("t1", "Hallelujah", ("Leonard Cohen",), "other_artist", duet), "Subsonic", "es"
    )
    assert "Pentatonix y Jeff Buckley" in sentence


def test_a_candidate_without_artists_is_by_an_unknown_one():
    nobody = Candidate("n", "Hallelujah", ())
    sentence = why(
        Unmatched("t1", "Hallelujah", ("Leonard Cohen",), "other_artist", nobody), "Subsonic", "de"
    )
    assert "von einem unbekannten Künstler" in sentence


def test_one_track_left_out_is_said_in_the_singular():
    (notice,) = left_out("Subsonic", matched=19, total=20, language="en")
    assert notice.startswith("One of the 20 tracks was left out")


def test_nothing_left_out_says_nothing():
    assert left_out("Subsonic", matched=20, total=20, language="fr") == ()


@pytest.mark.parametrize("language", [None, "ru", "ja"])
def test_a_language_we_do_not_write_gets_english(language):
    english = why(example("other_artist"), "Subsonic", "en")
    assert why(example("other_artist"), "Subsonic", language) == english


def test_an_artist_the_platform_names_twice_is_named_once():
    # YouTube: the artist from the video title, then the channel ("JeffBuckley", "Coldplay")
    twice = Candidate("v", "Hallelujah (Official Video)", ("Jeff Buckley", "JeffBuckley"))
    reason = Unmatched("t1", "Hallelujah", ("Leonard Cohen",), "other_artist", twice)
    assert why(reason, "YouTube Music", "nl").endswith(
        "‘Hallelujah (Official Video)’ van Jeff Buckley."
    )


def test_french_elides_before_the_version_it_names():
    sentence = why(left("other_version", version="live"), "Subsonic", "fr")
    assert "n'existe qu'en version live" in sentence
