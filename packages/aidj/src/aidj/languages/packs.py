"""Loading the language packs: read, validate, and merge them into the one table the readers use.

Prompts are read without first guessing their language (a sentence may mix two), so the
readers see every pack at once: ``language_packs().merged`` holds the union of all of them.
Merging also checks what no single pack can: a phrase may not mean two different things in two
packs (two concepts, two genre lists, two numbers).

Building the pydantic models costs more than reading the words, so validation runs once per
content: the validated, merged result is kept in the cache directory under a digest of the
pack files and of this code, and a process whose packs are unchanged reads that one file.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aidj.languages.schema import Common, Pack

ROOT = Path(__file__).resolve().parent
COMMON = "common"
_FILES = (
    "words",
    "moods",
    "genres",
    "numbers",
    "arcs",
    "exclusions",
    "eras",
    "notices",
    "occasions",
    "taste",
)

# Tables mapping a phrase to a meaning: two packs may share a phrase only with the same meaning.
_MEANINGS = {
    ("genres", "genres"),
    ("genres", "style_hints"),
    ("genres", "compound_stems"),
    ("numbers", "numbers"),
    ("eras", "decade_words"),
}
# Read per language (``packs[code]``), never from the merged table: which language a prompt is
# in, what answers it, what is local to it. A section name alone: all of its fields.
_PER_LANGUAGE = {
    ("words", "markers"),
    ("words", "marker_letters"),
    ("genres", "local_genres"),
    ("genres", "own_not_genres"),
    ("notices",),
    ("taste", "sentences"),
}
# Tables of classes whose phrases must each name one class only.
_EXCLUSIVE = {
    ("moods", "concepts"),
    ("moods", "qualifiers"),
    ("genres", "nationalities"),
    ("taste", "asks"),
}
_EXCLUSIVE_ARCS = ("build_up", "wind_down", "peak")


class PackError(ValueError):
    """A language pack is malformed or contradicts another; the message says where."""


@dataclass(frozen=True)
class LanguagePacks:
    """Validated packs. Sections are attribute views of the models in ``schema.py``."""

    common: Any  # schema.Common
    packs: dict[str, Any]  # by language code, in code order; each a schema.Pack
    merged: Any  # a schema.Pack: every pack's words together, as the readers use them

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.packs)

    def names(self) -> list[str]:
        return [pack.words.name for pack in self.packs.values()]

    def to_json(self) -> dict[str, Any]:
        """Plain data (what the cache stores); ``from_json`` reads it back."""
        packs = {code: _plain(pack) for code, pack in self.packs.items()}
        return {"common": _plain(self.common), "packs": packs, "merged": _plain(self.merged)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LanguagePacks:
        common = data["common"]
        view = SimpleNamespace(
            moods=SimpleNamespace(
                concepts=[SimpleNamespace(**c) for c in common["moods"]["concepts"]],
                qualifiers=common["moods"]["qualifiers"],
            ),
            genres=SimpleNamespace(**common["genres"]),
        )
        return cls(
            view,
            {code: _pack_view(p) for code, p in data["packs"].items()},
            _pack_view(data["merged"]),
        )


def _plain(value: Any) -> Any:
    """A model or a view as plain JSON data."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, SimpleNamespace):
        return {key: _plain(item) for key, item in vars(value).items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _pack_view(data: dict[str, Any]) -> SimpleNamespace:
    return SimpleNamespace(
        code=data["code"], **{name: SimpleNamespace(**data[name]) for name in _FILES}
    )


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_bytes())
    except ValueError as exc:
        raise PackError(f"{path}: not valid JSON ({exc}); fix the file") from exc


def load_common(root: Path = ROOT) -> Common:
    from aidj.languages.schema import Common

    folder = root / COMMON
    try:
        return Common.model_validate(
            {name: _read(folder / f"{name}.json") for name in ("moods", "genres")}
        )
    except ValueError as exc:
        raise PackError(str(exc)) from exc


def load_pack(folder: Path, common: Common) -> Pack:
    data: dict[str, Any] = {"code": folder.name}
    for name in _FILES:
        path = folder / f"{name}.json"
        if path.is_file():
            data[name] = _read(path)
    from aidj.languages.schema import Pack

    unknown = sorted(p.name for p in folder.glob("*.json") if p.stem not in _FILES)
    if unknown:
        raise PackError(
            f"{folder}: unknown file(s) {unknown}; a pack holds {', '.join(f + '.json' for f in _FILES)}"
        )
    try:
        return Pack.model_validate(data, context={"common": common})
    except ValueError as exc:
        raise PackError(str(exc)) from exc


def merge(packs: dict[str, Pack], common: Common) -> Pack:
    """One pack holding every pack's words; raises PackError where two packs disagree."""
    from aidj.languages.schema import Pack

    merged: dict[str, Any] = {"code": "+".join(packs)}
    problems: list[str] = []
    for section in _FILES:
        out: dict[str, Any] = {}
        ordered_sets: dict[str, dict[str, None]] = {}  # list fields: an ordered union
        classes: dict[
            str, dict[str, dict[str, None]]
        ] = {}  # class -> phrases fields: a union per class
        if (section,) in _PER_LANGUAGE:
            merged[section] = out
            continue
        for code, pack in packs.items():
            for field, value in getattr(pack, section).model_dump().items():
                if (section, field) in _PER_LANGUAGE:
                    continue
                if isinstance(value, str):
                    out.setdefault(field, value)
                elif isinstance(value, list):
                    ordered_sets.setdefault(field, {}).update(dict.fromkeys(value))
                elif (section, field) in _MEANINGS:
                    table = out.setdefault(field, {})
                    for phrase, meaning in value.items():
                        if table.setdefault(phrase, meaning) != meaning:
                            problems.append(
                                f"{section}.{field}: '{phrase}' means {table[phrase]} in one pack "
                                f"but {meaning} in '{code}'"
                            )
                else:
                    table = classes.setdefault(field, {})
                    for key, phrases in value.items():
                        table.setdefault(key, {}).update(dict.fromkeys(phrases))
        out.update({field: list(phrases) for field, phrases in ordered_sets.items()})
        out.update(
            {field: {k: list(p) for k, p in table.items()} for field, table in classes.items()}
        )
        merged[section] = out
    # concepts in the order common/ defines them: the readers' tie-breaks depend on it
    order = [c.name for c in common.moods.concepts]
    merged["moods"]["concepts"] = {n: merged["moods"].get("concepts", {}).get(n, []) for n in order}
    for section, field in sorted(_EXCLUSIVE):
        problems.extend(_conflicts(f"{section}.{field}", merged[section].get(field, {})))
    problems.extend(_conflicts("arcs", {a: merged["arcs"].get(a, []) for a in _EXCLUSIVE_ARCS}))
    if problems:
        raise PackError("language packs disagree: " + "; ".join(problems[:20]))
    return Pack.model_validate(merged, context={"common": common, "merged": True})


def _conflicts(where: str, classes: dict[str, list[str]]) -> list[str]:
    owner: dict[str, str] = {}
    problems = []
    for name, phrases in classes.items():
        for phrase in phrases:
            if owner.setdefault(phrase, name) != name:
                problems.append(
                    f"{where}: '{phrase}' is in both '{owner[phrase]}' and '{name}'; keep it in one"
                )
    return problems


def _folders(root: Path) -> list[Path]:
    return sorted(
        p
        for p in root.iterdir()
        if p.is_dir() and p.name != COMMON and not p.name.startswith(("_", "."))
    )


def load(root: Path = ROOT) -> LanguagePacks:
    """Read and validate every pack under ``root`` (no cache)."""
    common = load_common(root)
    packs = {folder.name: load_pack(folder, common) for folder in _folders(root)}
    if not packs:
        raise PackError(f"no language packs under {root}")
    both = sorted(set(packs) & set(common.genres.local_genres))
    if both:
        raise PackError(
            f"common/genres.json local_genres lists {both}, which have packs: "
            "move their genres into the pack's genres.json local_genres"
        )
    return LanguagePacks(common, packs, merge(packs, common))


def _json_files(folder: Path) -> list[Path]:
    # listdir, not glob: glob's pattern compiling was a tenth of the packs' start-up
    return [folder / name for name in sorted(os.listdir(folder)) if name.endswith(".json")]


def _digest(root: Path) -> str:
    """Changes whenever a pack file, the schema or this loader changes."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    files = [here / "schema.py", here / "packs.py", *_json_files(root / COMMON)]
    files += [f for folder in _folders(root) for f in _json_files(folder)]
    for path in files:
        digest.update(
            path.relative_to(path.parent.parent).as_posix().encode()
            + b"\0"
            + path.read_bytes()
            + b"\0"
        )
    return digest.hexdigest()[:20]


def load_cached(root: Path = ROOT, cache_dir: Path | None = None) -> LanguagePacks:
    """``load`` validated once per content; later processes read the stored result."""
    if cache_dir is None:
        from aidj.cache_dir import default_cache_dir

        cache_dir = default_cache_dir()
    path = Path(cache_dir) / "languages" / f"packs-{_digest(root)}.json"
    try:
        return LanguagePacks.from_json(json.loads(path.read_bytes()))
    except (OSError, ValueError, KeyError, TypeError):
        pass  # not there yet (or unreadable): validate and store
    data = load(root).to_json()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only cache only costs the validation next time
    return LanguagePacks.from_json(data)


@functools.cache
def language_packs() -> LanguagePacks:
    """The shipped packs, validated, loaded once per process."""
    return load_cached()
