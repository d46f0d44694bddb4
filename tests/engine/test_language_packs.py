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
    "eras",
    "notices",
    "spelling",
    "coherence",
    "lexicon",
    "genres",
    "quantities",
    "arcs",
    "exclusions",
    "local_interpreter",
    "embedding",
    "vocab",
    "naming",
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


# ---- the files that answer in a language: eras, notices, marker words, local genres


def test_an_era_word_may_not_name_two_decades_in_two_packs(tmp_path):
    root = make_root(
        tmp_path,
        {
            "xx": {"eras": {"decade_words": {"zappies": 1980}}},
            "yy": {"eras": {"decade_words": {"zappies": 1990}}},
        },
    )
    with pytest.raises(
        PackError, match=re.escape("eras.decade_words: 'zappies' means 1980 in one pack but 1990")
    ):
        load(root)


def test_era_words_are_written_folded_and_once(tmp_path):
    with pytest.raises(
        PackError, match=re.escape("'Años' in eras.decade_markers must be lowercase")
    ):
        load(make_root(tmp_path / "a", {"xx": {"eras": {"decade_markers": ["Años"]}}}))
    with pytest.raises(PackError, match=re.escape("'early' is listed twice in eras.early")):
        load(make_root(tmp_path / "b", {"xx": {"eras": {"early": ["early", "early"]}}}))


def test_a_notice_sentence_of_an_unknown_kind_is_rejected(tmp_path):
    root = make_root(tmp_path, {"xx": {"notices": {"sentences": {"too_loud": "Too loud."}}}})
    with pytest.raises(PackError, match=re.escape("notices.sentences: unknown key 'too_loud'")):
        load(root)


def test_a_notice_sentence_may_only_use_its_kinds_placeholders(tmp_path):
    root = make_root(
        tmp_path, {"xx": {"notices": {"sentences": {"short": "Only {found} of {wanted}."}}}}
    )
    with pytest.raises(
        PackError, match=re.escape("notices.sentences.short: unknown placeholder '{wanted}'")
    ):
        load(root)


def test_an_era_format_may_only_use_its_placeholders(tmp_path):
    root = make_root(tmp_path, {"xx": {"notices": {"era_formats": {"year": "in {decade}"}}}})
    with pytest.raises(
        PackError, match=re.escape("notices.era_formats.year: unknown placeholder '{decade}'")
    ):
        load(root)


def test_marker_words_are_written_folded(tmp_path):
    root = make_root(tmp_path, {"xx": {"words": {"markers": ["años"]}}})
    with pytest.raises(PackError, match=re.escape("'años' in words.markers must be lowercase")):
        load(root)


def test_marker_letters_are_lowercase_as_typed(tmp_path):
    root = make_root(tmp_path, {"xx": {"words": {"marker_letters": ["ñ", "Ñ"]}}})
    with pytest.raises(
        PackError, match=re.escape("'Ñ' in words.marker_letters must be lowercase letters")
    ):
        load(root)


def test_a_local_genre_must_be_a_catalog_genre(tmp_path):
    root = make_root(tmp_path, {"xx": {"genres": {"local_genres": ["zydeco-pop"]}}})
    with pytest.raises(
        PackError, match=re.escape("genres.local_genres: 'zydeco-pop' is not a catalog genre slug")
    ):
        load(root)


def test_local_genres_of_a_language_with_a_pack_belong_in_the_pack(tmp_path):
    root = make_root(tmp_path, {"ja": {"words": {"name": "Japanese"}}})
    with pytest.raises(PackError, match=r"local_genres lists \['ja'\], which have packs"):
        load(root)


def test_common_anchor_genres_must_be_catalog_genres(tmp_path):
    root = make_root(tmp_path, {"xx": {}})
    path = root / "common" / "genres.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["never_anchor"].append("zydeco-pop")
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(
        PackError, match=re.escape("never_anchor: 'zydeco-pop' is not a catalog genre slug")
    ):
        load(root)


def test_a_name_acronym_must_be_written_with_its_capitals(tmp_path):
    root = make_root(tmp_path, {"xx": {}})
    path = root / "common" / "genres.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["acronyms"].append("edm")
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(
        PackError, match=re.escape("acronyms: 'edm' should be one word with a capital letter")
    ):
        load(root)


def test_per_language_words_stay_out_of_the_merged_table(tmp_path):
    root = make_root(
        tmp_path,
        {
            "xx": {
                "words": {"markers": ["blorp"], "marker_letters": ["ŋ"]},
                "genres": {"local_genres": ["k-pop"]},
                "notices": {"sentences": {"unknown": "Blorp {text}."}, "conjunction": "blorp"},
            }
        },
    )
    packs = load(root)
    assert packs.packs["xx"].words.markers == ["blorp"]
    merged = packs.merged
    assert (merged.words.markers, merged.words.marker_letters, merged.genres.local_genres) == (
        [],
        [],
        [],
    )
    assert merged.notices.sentences == {} and merged.notices.conjunction == ""


def test_a_new_pack_answers_in_its_language(tmp_path):
    """The readers take a new pack's marker words and sentences with no change to their code."""
    root = make_root(
        tmp_path,
        {
            "xx": {
                "words": {"name": "Testish", "markers": ["blorp", "zib"]},
                "notices": {"sentences": {"unknown": "Blorp zib: {text}?"}},
            }
        },
    )
    packs = load(root)
    assert packs.packs["xx"].notices.sentences["unknown"].format(text="t") == "Blorp zib: t?"


def test_no_language_data_is_left_outside_the_packs():
    """aidj/data holds computed, language-neutral files only: no table keyed by a language."""
    codes = set(language_packs().codes)
    for path in sorted((ROOT.parent / "data").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        keys = set(data) if isinstance(data, dict) else set()
        assert not keys & codes, f"{path.name} holds words per language; move them into the packs"


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
