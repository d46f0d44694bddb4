"""Choosing tracks with keys that mix: a little fit traded for fewer key clashes."""

from __future__ import annotations

import json

import numpy as np
import pytest

from aidj import engine, selection
from aidj.engine import build_playlist
from aidj.selection import HARMONIC_TOLERANCE

from ..conftest import EVAL_DIR


@pytest.fixture(scope="module")
def dev_intents(dj):
    path = EVAL_DIR / "dev_prompts.jsonl"
    if not path.exists():
        pytest.skip(f"{path} not found")
    return [
        dj.interpret(json.loads(line)["prompt"])
        for line in path.read_text().splitlines()
        if line.strip()
    ]


def both_ways(catalog, intent, monkeypatch):
    with_keys = build_playlist(catalog, intent)
    with monkeypatch.context() as m:
        m.setattr(
            engine, "harmonise", lambda catalog, intent, scores, pool, chosen, variety: chosen
        )
        without = build_playlist(catalog, intent)
    return with_keys, without


def test_dev_playlists_have_more_harmonic_transitions(catalog, dev_intents, monkeypatch):
    shares = np.array(
        [
            [p.stats["harmonic_share"] for p in both_ways(catalog, intent, monkeypatch)]
            for intent in dev_intents
        ]
    )
    with_keys, without = shares.mean(axis=0)
    assert with_keys >= without + 0.05
    assert (shares[:, 0] >= shares[:, 1] - 0.15).all()  # no playlist pays much for the others


def test_a_swapped_in_track_is_a_peer_of_what_it_replaced(catalog, dev_intents, monkeypatch):
    for intent in dev_intents:
        with_keys, without = both_ways(catalog, intent, monkeypatch)
        assert len(with_keys.tracks) == len(without.tracks)
        assert (
            min(t.score for t in with_keys.tracks)
            >= min(t.score for t in without.tracks) - HARMONIC_TOLERANCE
        )
        if intent.duration_minutes is not None:
            assert (
                abs(with_keys.stats["duration_minutes"] - intent.duration_minutes)
                <= 0.05 * intent.duration_minutes
            )


def test_swaps_judged_one_by_one_match_swaps_filtered_with_numpy(catalog, dev_intents, monkeypatch):
    """The pool's first positions are judged in Python, the rest with numpy: either way alone
    picks the same swaps for every dev prompt."""
    playlists = {}
    for head in (0, 100_000):  # numpy only; Python only
        with monkeypatch.context() as m:
            m.setattr(selection, "_HEAD", head)
            playlists[head] = [
                [t.id for t in build_playlist(catalog, intent).tracks] for intent in dev_intents
            ]
    assert playlists[0] == playlists[100_000]
