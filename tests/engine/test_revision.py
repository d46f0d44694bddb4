"""Living playlists in the domain: edits, refine-keeping-fits, extend, refresh, freshness (real 114k catalog)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from aidj.engine import build_playlist
from aidj.intent import EnergyArc, Intent
from aidj.revision import (
    Draft,
    Edit,
    RevisionError,
    apply_edits,
    avoid_set,
    changes,
    extend,
    refine,
    refresh,
    render,
)
from aidj.scoring import fit_scores
from aidj.sequencing import harmonic


@pytest.fixture(scope="module")
def house(catalog) -> Draft:
    intent = Intent(genres=["house"], energy=0.8, danceability=0.8, limit=12)
    playlist = build_playlist(catalog, intent)
    return Draft(intent, [t.id for t in playlist.tracks], [], playlist)


def artists(catalog, ids):
    return [a for tid in ids for a in catalog.artists_of(catalog.index_of(tid))]


def test_remove_drops_only_that_track(catalog, house: Draft) -> None:
    gone = house.track_ids[3]
    after = apply_edits(catalog, house, [Edit("remove", gone)], set())
    assert after.track_ids == [t for t in house.track_ids if t != gone]


def test_swap_takes_a_replacement_that_keeps_genre_place_and_variety(catalog, house: Draft) -> None:
    out = house.track_ids[5]
    after = apply_edits(catalog, house, [Edit("swap", out)], set())

    new = after.track_ids[5]
    assert new not in house.track_ids and after.track_ids[:5] == house.track_ids[:5]
    row, old_row = catalog.index_of(new), catalog.index_of(out)
    assert "house" in catalog.genres_of(row)
    assert (
        abs(float(catalog.features["energy"][row]) - float(catalog.features["energy"][old_row]))
        < 0.15
    )
    counts = {
        a: artists(catalog, after.track_ids).count(a) for a in artists(catalog, after.track_ids)
    }
    assert max(counts.values()) <= 2


def test_swap_avoids_the_tracks_to_avoid(catalog, house: Draft) -> None:
    out = house.track_ids[5]
    first = apply_edits(catalog, house, [Edit("swap", out)], set()).track_ids[5]
    second = apply_edits(catalog, house, [Edit("swap", out)], {first}).track_ids[5]
    assert second not in (first, out)


def test_a_locked_track_cannot_be_removed_or_swapped(catalog, house: Draft) -> None:
    tid = house.track_ids[0]
    locked = apply_edits(catalog, house, [Edit("lock", tid)], set())
    for op in ("remove", "swap"):
        with pytest.raises(RevisionError) as err:
            apply_edits(catalog, locked, [Edit(op, tid)], set())
        assert err.value.code == "track_locked"
    assert apply_edits(catalog, locked, [Edit("unlock", tid)], set()).locked == []


def test_an_id_not_in_the_playlist_is_named(catalog, house: Draft) -> None:
    with pytest.raises(RevisionError) as err:
        apply_edits(catalog, house, [Edit("remove", "0000000000000000000000")], set())
    assert (
        err.value.code == "track_not_in_playlist" and "0000000000000000000000" in err.value.message
    )


def test_move_puts_the_track_at_the_position(catalog, house: Draft) -> None:
    tid = house.track_ids[0]
    after = apply_edits(catalog, house, [Edit("move", tid, to=4)], set())
    assert after.track_ids.index(tid) == 4 and sorted(after.track_ids) == sorted(house.track_ids)
    with pytest.raises(RevisionError) as err:
        apply_edits(catalog, house, [Edit("move", tid, to=99)], set())
    assert err.value.code == "invalid_position"


def test_more_like_adds_close_tracks_right_after_the_track(catalog, house: Draft) -> None:
    ref = house.track_ids[2]
    after = apply_edits(catalog, house, [Edit("more_like", ref, count=3)], set())

    added = after.track_ids[3:6]
    assert len(after.track_ids) == 15 and not set(added) & set(house.track_ids)
    f = catalog.features
    r = catalog.index_of(ref)
    for tid in added:
        i = catalog.index_of(tid)
        assert abs(float(f["energy"][i]) - float(f["energy"][r])) < 0.2
        assert "house" in catalog.genres_of(i)


@pytest.mark.parametrize(
    # (not jazz: the 114k file's jazz is mostly Christmas songs, out of season; what is left of
    # its core is too thin for a refine to find better fits, a known gap of the genre map)
    "prompt",
    ["soul for dinner, 25 tracks", "chill indie for studying, 25 songs"],
)
def test_more_upbeat_keeps_the_tracks_that_already_fit(catalog, rules_only, prompt: str) -> None:
    base = rules_only.interpret(prompt)
    draft = Draft(base, [t.id for t in build_playlist(catalog, base).tracks])
    upbeat = rules_only.refine("more upbeat", base)

    after = refine(catalog, draft, upbeat, set())

    kept = [t for t in draft.track_ids if t in after.track_ids]
    dropped = [t for t in draft.track_ids if t not in after.track_ids]
    assert len(kept) >= 10 and dropped, "a 'more upbeat' keeps what fits and replaces what does not"
    assert len(after.track_ids) == 25
    scores = fit_scores(catalog, upbeat).scores
    worst_kept = min(float(scores[catalog.index_of(t)]) for t in kept)
    best_dropped = max(float(scores[catalog.index_of(t)]) for t in dropped)
    assert worst_kept >= best_dropped  # it kept the best fits, not a random share
    energy = catalog.features["energy"]
    mean = lambda ids: float(np.mean([energy[catalog.index_of(t)] for t in ids]))  # noqa: E731
    assert mean(after.track_ids) > mean(draft.track_ids)


def test_an_unchanged_intent_keeps_every_track(catalog, house: Draft) -> None:
    after = refine(catalog, house, house.intent, set())
    assert sorted(after.track_ids) == sorted(house.track_ids)


def test_refine_keeps_locked_tracks_even_when_they_no_longer_fit(catalog, house: Draft) -> None:
    slowest = min(house.track_ids, key=lambda t: catalog.features["energy"][catalog.index_of(t)])
    draft = Draft(house.intent, house.track_ids, [slowest])
    calmer = house.intent.replace(**{"genres": ["jazz"], "energy": 0.2})
    after = refine(catalog, draft, calmer, set())
    assert slowest in after.track_ids and after.locked == [slowest]


def test_refresh_is_fresh_except_for_locks_and_keeps_the_constraints(catalog, house: Draft) -> None:
    keep = house.track_ids[1]
    draft = Draft(house.intent, house.track_ids, [keep])
    after = refresh(catalog, draft, avoid_set([house.track_ids], keep=[keep]))

    assert keep in after.track_ids and len(after.track_ids) == 12
    assert set(after.track_ids) & set(house.track_ids) == {keep}
    assert all("house" in catalog.genres_of(catalog.index_of(t)) for t in after.track_ids)


def test_avoid_set_covers_the_last_versions_only(catalog) -> None:
    versions = [["a", "b"], ["c"], ["d"], ["e"]]
    assert avoid_set(versions, keep=["b"], depth=3) == {"a", "c", "d"}
    assert avoid_set(versions, depth=0) == set()


def test_extend_continues_a_build_up_without_repeats(catalog) -> None:
    intent = Intent(genres=["house"], arc=EnergyArc.BUILD_UP, limit=10)
    playlist = build_playlist(catalog, intent)
    draft = Draft(intent, [t.id for t in playlist.tracks])

    after = extend(catalog, draft, set(), count=5)

    assert after.track_ids[:10] == draft.track_ids and len(set(after.track_ids)) == 15
    energy = [float(catalog.features["energy"][catalog.index_of(t)]) for t in after.track_ids]
    assert (
        min(energy[10:]) >= energy[9] - 0.1
    )  # still at the top of the climb, not back at the start
    assert after.intent.limit == 15


def test_extend_by_minutes_adds_about_that_long(catalog, house: Draft) -> None:
    after = extend(catalog, house, set(), minutes=20)
    added = after.track_ids[len(house.track_ids) :]
    minutes = sum(int(catalog.duration_ms[catalog.index_of(t)]) for t in added) / 60_000
    assert 17 <= minutes <= 25


def test_render_keeps_the_order_and_measures_the_flow(catalog, house: Draft) -> None:
    moved = apply_edits(catalog, house, [Edit("move", house.track_ids[0], to=11)], set())
    playlist = render(catalog, moved)
    assert [t.id for t in playlist.tracks] == moved.track_ids
    keys = [t.camelot for t in playlist.tracks]
    assert playlist.stats["harmonic_transitions"] == sum(
        harmonic(a, b) for a, b in itertools.pairwise(keys)
    )


def test_changes_list_added_removed_and_really_moved() -> None:
    diff = changes(["a", "b", "c", "d"], ["b", "c", "a", "e"])
    assert diff.added == ["e"] and diff.removed == ["d"]
    assert diff.moved == [{"track_id": "a", "from": 0, "to": 2}]
    assert changes(["a", "b", "c"], ["b", "c"]).moved == []  # a removal shifts, it does not move


def test_refreshes_do_not_pile_up_the_engines_measured_notices(catalog) -> None:
    intent = Intent(genres=["house"], limit=12).replace(unmet=["short:8:12", "artist_unknown:zz"])
    draft = Draft(
        intent, [t.id for t in build_playlist(catalog, Intent(genres=["house"], limit=12)).tracks]
    )
    after = refresh(catalog, draft, set(draft.track_ids))
    assert "short:8:12" not in render(catalog, after).intent.unmet
    assert "artist_unknown:zz" in render(catalog, after).intent.unmet
