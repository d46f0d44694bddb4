"""Intents as a model would answer the issue-23 classes (occasions, seasons, covers, modifiers,
hedges, lists, combinations, shapes) in several languages, run through the engine API and judged
by the shared checker on the catalog's own values (tests/eval_data/model_intents.jsonl).

Besides the checker's keys, a case may say what a listener hears in the titles:
``titles_exclude`` (no title holds these words: no Christmas songs in a soul set),
``titles_include`` {any, min} (a Christmas request plays Christmas songs), ``unique_titles``
(one rendition of a song across artists) and ``notice`` (the answer says what it could not do).
"""

from __future__ import annotations

import importlib.util
import json
import re

import pytest

from aidj.engine import build_playlist
from aidj.intent import Intent
from tests.conftest import CATALOG_114K, CATALOG_TIDY, EVAL_DIR, REPO

CASES = [
    json.loads(line)
    for line in (REPO / "tests" / "eval_data" / "model_intents.jsonl")
    .read_text(encoding="utf-8")
    .splitlines()
    if line.strip()
]


@pytest.fixture(scope="module")
def checker():
    path = EVAL_DIR / "check_playlists.py"
    if not path.exists() or not CATALOG_114K.exists() or not CATALOG_TIDY.exists():
        pytest.skip("shared checker or catalogs not present")
    spec = importlib.util.spec_from_file_location("check_playlists", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def judged(checker):
    """The checker's view of both catalog files, and its genre relation (for flow)."""
    catalog = checker.load_catalog([str(CATALOG_114K), str(CATALOG_TIDY)])
    return catalog, checker.genre_relations(catalog)


def _words(title: str) -> str:
    return " " + " ".join(re.sub(r"[^\w\s]", " ", title.lower()).split()) + " "


def _holds(title: str, word: str) -> bool:
    return f" {word}" in _words(title)  # a word start: "sleigh" in "Sleighride", not "ohsleigh"


def listener_checks(case: dict, titles: list[str], notices: list[str], song_title) -> list[str]:
    """What a listener hears in the titles, beyond what the shared checker measures."""
    checks, fails = case["checks"], []
    for word in checks.get("titles_exclude", []):
        hit = [t for t in titles if _holds(t, word)]
        if hit:
            fails.append(f"'{hit[0]}' holds '{word}'")
    if "titles_include" in checks:
        want = checks["titles_include"]
        share = sum(any(_holds(t, w) for w in want["any"]) for t in titles) / max(1, len(titles))
        if share < want["min"]:
            fails.append(f"only {share:.0%} of titles hold {want['any'][:4]}…")
    if checks.get("unique_titles"):
        folded = [song_title(t) for t in titles]
        twice = sorted({t for t in folded if folded.count(t) > 1})
        if twice:
            fails.append(f"'{twice[0]}' plays twice (another artist's rendition)")
    if checks.get("notice") and not notices:
        fails.append("no notice says what could not be honoured")
    return fails


def test_the_set_covers_thirty_intents_in_several_languages():
    assert len(CASES) >= 30
    assert len({case["intent"]["language"] for case in CASES}) >= 6
    assert len({case["id"] for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_a_model_intent_makes_a_playlist_the_checker_passes(case, both_catalogs, checker, judged):
    catalog, related = judged
    playlist = build_playlist(both_catalogs, Intent.from_dict(case["intent"]))
    ids = [t.id for t in playlist.tracks]
    fails = checker.check(case, ids, catalog, related)
    fails += listener_checks(
        case, [t.name for t in playlist.tracks], playlist.notices, checker.song_title
    )
    assert not fails, f"{case['id']} ({case['prompt']}): {fails}"
