"""Language packs: the interpreter's words are data, validated on load, and the code holds none."""

from __future__ import annotations

import ast
import json
import re
import shutil
from pathlib import Path

import pytest

from aidj.intent import FIELD_NAMES
from aidj.languages import PackError, language_packs
from aidj.languages.packs import ROOT, load, load_cached

INTERPRETER_MODULES = (
    "text",
    "lexicon",
    "genres",
    "quantities",
    "arcs",
    "exclusions",
    "local_interpreter",
    "embedding",
    "vocab",
)


def make_root(tmp_path: Path, packs: dict[str, dict[str, dict]]) -> Path:
    """A languages folder with the shipped common/ data and the given packs ({code: {file: data}})."""
    shutil.copytree(ROOT / "common", tmp_path / "common")
    for code, files in packs.items():
        (tmp_path / code).mkdir()
        for name, data in files.items():
            (tmp_path / code / f"{name}.json").write_text(json.dumps(data), encoding="utf-8")
    return tmp_path


def test_the_shipped_packs_load_and_every_concept_has_words():
    packs = language_packs()
    assert {"en", "es", "pt", "fr", "de", "it"} <= set(packs.codes)
    empty = [c.name for c in packs.common.moods.concepts if not packs.merged.moods.concepts[c.name]]
    assert empty == []
    assert all(pack.words.name for pack in packs.packs.values()), "every pack names its language"


def test_a_phrase_listed_twice_in_one_concept_is_rejected(tmp_path):
    root = make_root(tmp_path, {"xx": {"moods": {"concepts": {"calm": ["zen zone", "zen zone"]}}}})
    with pytest.raises(
        PackError, match=re.escape("'zen zone' is listed twice in moods.concepts.calm")
    ):
        load(root)


def test_a_phrase_in_two_concepts_is_rejected_even_across_packs(tmp_path):
    root = make_root(
        tmp_path,
        {
            "xx": {"moods": {"concepts": {"calm": ["blorp"]}}},
            "yy": {"moods": {"concepts": {"happy": ["blorp"]}}},
        },
    )
    with pytest.raises(PackError, match="'blorp' is in both 'happy' and 'calm'"):
        load(root)


def test_a_genre_word_must_target_catalog_genre_slugs(tmp_path):
    root = make_root(tmp_path, {"xx": {"genres": {"genres": {"vaporwave": ["vapor-wave"]}}}})
    with pytest.raises(PackError, match="'vaporwave' -> 'vapor-wave' is not a catalog genre slug"):
        load(root)


def test_a_phrase_may_not_mean_two_things_in_two_packs(tmp_path):
    root = make_root(
        tmp_path,
        {"xx": {"numbers": {"numbers": {"zap": 3}}}, "yy": {"numbers": {"numbers": {"zap": 4}}}},
    )
    with pytest.raises(PackError, match=re.escape("'zap' means 3.0 in one pack but 4.0 in 'yy'")):
        load(root)


def test_unknown_concepts_fields_and_files_are_rejected(tmp_path):
    with pytest.raises(PackError, match="unknown concept 'snoozing'"):
        load(make_root(tmp_path / "a", {"xx": {"moods": {"concepts": {"snoozing": ["zzz"]}}}}))
    with pytest.raises(PackError, match="eras"):
        load(make_root(tmp_path / "b", {"xx": {"words": {"eras": ["eighties"]}}}))
    with pytest.raises(PackError, match=r"unknown file\(s\) \['slang.json'\]"):
        load(make_root(tmp_path / "c", {"xx": {"slang": {}}}))


def test_phrases_must_be_written_folded(tmp_path):
    root = make_root(tmp_path, {"xx": {"moods": {"concepts": {"calm": ["Música Tranquila"]}}}})
    with pytest.raises(
        PackError,
        match=re.escape(
            "'Música Tranquila' in moods.concepts.calm must be lowercase, accent-folded"
        ),
    ):
        load(root)


def test_a_new_pack_is_read_beside_the_others(tmp_path):
    shipped = {code: {} for code in language_packs().codes}
    root = make_root(
        tmp_path,
        {
            **shipped,
            "xx": {"words": {"name": "Testish"}, "moods": {"concepts": {"calm": ["blorp"]}}},
        },
    )
    packs = load(root)
    assert packs.packs["xx"].words.name == "Testish"
    assert "blorp" in packs.merged.moods.concepts["calm"]


def test_packs_are_validated_once_per_content_then_read_from_the_cache(tmp_path):
    root = shutil.copytree(
        ROOT, tmp_path / "languages", ignore=shutil.ignore_patterns("__pycache__")
    )
    first = load_cached(root, cache_dir=tmp_path / "cache")
    stored = sorted((tmp_path / "cache" / "languages").glob("packs-*.json"))
    assert len(stored) == 1
    assert (
        load_cached(root, cache_dir=tmp_path / "cache").to_json()
        == first.to_json()
        == load(root).to_json()
    )
    words = root / "en" / "moods.json"
    words.write_text(
        words.read_text(encoding="utf-8").replace('"lazy"', '"lazy", "lazy day"'), encoding="utf-8"
    )
    changed = load_cached(root, cache_dir=tmp_path / "cache")
    assert "lazy day" in changed.merged.moods.concepts["calm"]
    assert len(list((tmp_path / "cache" / "languages").glob("packs-*.json"))) == 2


def _word_lists(path: Path) -> list[tuple[int, list[str]]]:
    """Literal collections of four or more strings that are not Intent field names or characters."""
    fields = set(FIELD_NAMES)
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        elements = node.keys if isinstance(node, ast.Dict) else getattr(node, "elts", None)
        if not isinstance(node, (ast.List, ast.Tuple, ast.Set, ast.Dict)) or not elements:
            continue
        words = [
            e.value for e in elements if isinstance(e, ast.Constant) and isinstance(e.value, str)
        ]
        words = [w for w in words if w not in fields and len(w) > 1]
        if len(words) >= 4:
            found.append((node.lineno, words))
    return found


@pytest.mark.parametrize("module", INTERPRETER_MODULES)
def test_the_interpreter_code_holds_no_word_lists(module):
    path = ROOT.parent / f"{module}.py"
    assert _word_lists(path) == [], (
        f"{path.name} lists words; move them into a language pack (aidj/languages/)"
    )
