"""Follow-up requests on a previous Intent: "more upbeat", "shorter", "no rap", "más conocidas".

The words are the packs' ``words.json`` ``refine`` lists; this module holds what each one does
to the previous Intent's fields.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from aidj.folding import fold
from aidj.intent import Intent
from aidj.languages import language_packs

_WORDS = language_packs().merged.words


def _refinement(phrases: list[str]) -> re.Pattern[str]:
    """One follow-up request ("calmer", "mas tranquil*") as a regex; '*' matches any word ending."""
    alternatives = (
        re.escape(p[:-1]) + r"\w*" if p.endswith("*") else re.escape(p) for p in phrases
    )
    return re.compile(r"\b(" + "|".join(alternatives) + r")\b")


@lru_cache(maxsize=1)
def _refine_patterns() -> dict[str, re.Pattern[str]]:
    """Follow-up patterns, compiled when a follow-up first comes (not at every CLI start)."""
    return {name: _refinement(phrases) for name, phrases in _WORDS.refine.items()}


def apply_follow_up(prompt: str, base: Intent, changes: dict[str, Any]) -> Intent:
    """``base`` adjusted by a follow-up sentence; ``changes`` is what the sentence states outright
    (``LocalInterpreter.parse(prompt, for_refinement=True)``)."""
    data = base.to_dict()
    text = fold(prompt or "")
    step = 0.15
    refine_patterns = _refine_patterns()

    def bump(name: str, delta: float, default: float = 0.5) -> None:
        current = data.get(name)
        data[name] = min(1.0, max(0.0, (current if current is not None else default) + delta))

    if refine_patterns["more_energy"].search(text):
        bump("energy", step)
        bump("valence", 0.1)
    if refine_patterns["less_energy"].search(text):
        bump("energy", -step)
    if refine_patterns["happier"].search(text):
        bump("valence", step)
    if refine_patterns["sadder"].search(text):
        bump("valence", -step)
    if refine_patterns["more_danceable"].search(text):
        bump("danceability", step)
    if refine_patterns["faster"].search(text):
        data["tempo"] = (data.get("tempo") or 120) + 10
    if refine_patterns["slower"].search(text):
        data["tempo"] = (data.get("tempo") or 110) - 10
    if refine_patterns["shorter"].search(text):
        if data.get("duration_minutes"):
            data["duration_minutes"] = data["duration_minutes"] * 0.67
        else:
            data["limit"] = max(5, round((data.get("limit") or 20) * 0.67))
    if refine_patterns["longer"].search(text):
        if data.get("duration_minutes"):
            data["duration_minutes"] = data["duration_minutes"] * 1.5
        else:
            data["limit"] = min(100, round((data.get("limit") or 20) * 1.5))
    if refine_patterns["more_popular"].search(text):
        data["popularity"] = max(data.get("popularity") or 0, 70)
        data["min_popularity"] = max(data.get("min_popularity") or 0, 50)
    if changes.get("bounds"):  # "but not too loud": a new limit joins the ones already set
        data["bounds"] = {**data.get("bounds", {}), **changes.pop("bounds")}
    for name in ("exclude_artists", "exclude_genres"):
        data[name] = list(dict.fromkeys([*data.get(name, []), *changes.pop(name, [])]))
    data["genres"] = [g for g in data.get("genres", []) if g not in data["exclude_genres"]]
    if changes.get("genres"):
        data["genres"] = changes.pop("genres")
    for key in (
        "limit",
        "duration_minutes",
        "tempo",
        "tempo_min",
        "tempo_max",
        "explicit",
        "mode",
        "arc",
        "seed_artists",
        "familiarity",
        "covers",
        "seasons",
    ):
        if key in changes:
            data[key] = changes[key]
    return Intent.from_dict(data)
