"""Living playlists: the next version of a playlist from edits, a refined prompt, an extension or a refresh.

Every operation takes a :class:`Draft` (the intent, the tracks in play order, the locked ones)
and returns the next one. The rules a version keeps:

- **constraints**: new tracks come from the intent's candidate pool (hard masks and soft
  constraints of :func:`aidj.selection.candidate_pool`) under the variety rules;
- **flow**: a replacement sits where the one it replaces sat (same energy, or tempo on tempo
  arcs) with cheap transitions to its neighbours; an extension continues the arc's slope;
- **locks**: a locked track survives refines and refreshes and cannot be removed or swapped;
- **freshness**: new tracks avoid ``avoid`` (the tracks of the last few versions, see
  :func:`avoid_set`), so a refresh is a new playlist, not the same one reshuffled;
- **least change**: a refine keeps every track that still fits the refined intent as well as
  the tracks a fresh build would pick.

Pure domain: no HTTP, no storage. The service stores versions and decides who may edit.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from aidj.catalog import Catalog
from aidj.engine import build_playlist, with_seed_profile
from aidj.intent import EnergyArc, Intent
from aidj.playlist import Playlist
from aidj.scoring import Scored, fit_scores
from aidj.selection import TYPICAL_TRACK_MS, Variety, candidate_pool, wanted_count
from aidj.sequencing import camelot, transition_cost

Op = Literal["remove", "swap", "lock", "unlock", "more_like", "move"]
OPS: tuple[str, ...] = ("remove", "swap", "lock", "unlock", "more_like", "move")
DEFAULT_FRESH_DEPTH = 3  # a new version avoids the tracks of this many previous versions
MORE_LIKE_COUNT = 3  # tracks a "more like this" adds when no count is given
MAX_TRACKS = 500  # an extended playlist stops growing here
MAX_EXTEND_TRACKS = 100  # one extension adds at most this many
# A refine keeps a track whose score under the refined intent is within this of the weakest
# track a fresh build would pick (or of its shortlist): about the gap between neighbouring picks.
KEEP_TOLERANCE = 0.02
_FLOW_WEIGHT = 0.08  # score given up per unit of transition cost (1.0 = one key clash)
_SEARCH = 800  # candidates looked at per replacement (the pool is ranked best first)


class RevisionError(ValueError):
    """An edit that cannot apply; ``code`` is stable, the message says what to do instead."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class Edit:
    op: Op
    track_id: str | None = None
    to: int | None = None  # move: the 0-based position the track goes to
    count: int | None = None  # more_like: how many similar tracks to add


@dataclass(slots=True)
class Draft:
    """A playlist version in the making."""

    intent: Intent
    track_ids: list[str]
    locked: list[str] = field(default_factory=list)
    playlist: Playlist | None = None  # set when a build already ordered and described the tracks


@dataclass(frozen=True, slots=True)
class Changes:
    added: list[str]
    removed: list[str]
    moved: list[
        dict[str, int | str]
    ]  # {"track_id", "from", "to"}: tracks whose order among the kept changed


def avoid_set(
    previous: Sequence[Sequence[str]], keep: Iterable[str] = (), depth: int = DEFAULT_FRESH_DEPTH
) -> set[str]:
    """Tracks a new version should not bring (back): those of the newest ``depth`` versions, minus ``keep``."""
    out = {tid for version in previous[: max(0, depth)] for tid in version}
    return out - set(keep)


# ---------------------------------------------------------------- edits


def apply_edits(catalog: Catalog, draft: Draft, edits: Sequence[Edit], avoid: set[str]) -> Draft:
    """Apply ``edits`` in order; raises :class:`RevisionError` naming the first that cannot apply."""
    ids, locked = list(draft.track_ids), list(draft.locked)
    for n, edit in enumerate(edits):
        where = f"edits[{n}] ({edit.op})"
        if edit.op not in OPS:
            raise RevisionError("unknown_op", f"{where}: unknown op; use one of {', '.join(OPS)}")
        if edit.track_id is None or edit.track_id not in ids:
            if edit.op == "unlock" and edit.track_id in locked:
                locked.remove(edit.track_id)
                continue
            raise RevisionError(
                "track_not_in_playlist",
                f"{where}: track {edit.track_id!r} is not in this version of the playlist; "
                "use a track_id from its tracks",
            )
        tid = edit.track_id
        if edit.op == "lock":
            if tid not in locked:
                locked.append(tid)
        elif edit.op == "unlock":
            if tid in locked:
                locked.remove(tid)
        elif edit.op == "move":
            if edit.to is None or not 0 <= edit.to < len(ids):
                raise RevisionError(
                    "invalid_position", f"{where}: 'to' must be a position from 0 to {len(ids) - 1}"
                )
            ids.remove(tid)
            ids.insert(edit.to, tid)
        elif tid in locked and edit.op in ("remove", "swap"):
            raise RevisionError(
                "track_locked", f"{where}: track {tid!r} is locked; unlock it first"
            )
        elif edit.op == "remove":
            if len(ids) == 1:
                raise RevisionError(
                    "last_track", f"{where}: a playlist keeps at least one track; swap it instead"
                )
            ids.remove(tid)
        elif edit.op == "swap":
            ids[ids.index(tid)] = _replacement(catalog, draft.intent, ids, tid, avoid)
        else:  # more_like
            count = edit.count if edit.count is not None else MORE_LIKE_COUNT
            if len(ids) + count > MAX_TRACKS:
                raise RevisionError(
                    "too_many_tracks", f"{where}: a playlist holds at most {MAX_TRACKS} tracks"
                )
            pos = ids.index(tid)
            ids[pos + 1 : pos + 1] = _similar(catalog, draft.intent, ids, tid, count, avoid)
    return Draft(draft.intent, ids, locked)


class _Context:
    """The intent as the engine sees it, scored over the whole catalog once per operation."""

    def __init__(self, catalog: Catalog, intent: Intent, extra: int = 0) -> None:
        self.catalog = catalog
        self.intent = with_seed_profile(catalog, intent)
        self.need = wanted_count(catalog, self.intent) + extra
        self.scored: Scored = fit_scores(catalog, self.intent)
        by_tempo = self.intent.arc_by == "tempo" and self.intent.arc != EnergyArc.FLAT
        self.place = catalog.features["tempo" if by_tempo else "energy"]
        self.place_scale = (
            40.0 if by_tempo else 1.0
        )  # 40 BPM off counts like a full energy unit off
        seeds = frozenset(
            a for name in self.intent.seed_artists for a in catalog.artist_ids_matching(name)
        )
        self.seeds = seeds

    def rows(self, ids: Iterable[str]) -> list[int]:
        return [i for tid in ids if (i := self.catalog.index_of(tid)) is not None]

    def pool(self, exclude_ids: Iterable[str]) -> np.ndarray:
        exclude = np.zeros(len(self.catalog), dtype=bool)
        exclude[self.rows(exclude_ids)] = True
        pool = candidate_pool(self.catalog, self.intent, self.scored, self.need, exclude)
        assert pool is not None  # only the genre-rows path declines
        return pool[:_SEARCH]

    def variety(self, rows: Iterable[int]) -> Variety:
        variety = Variety(self.catalog, seed_artist_ids=self.seeds)
        for i in rows:
            variety.add(i)
        return variety

    def transition(self, a: int, b: int) -> float:
        c, f = self.catalog, self.catalog.features
        return transition_cost(
            float(f["tempo"][a]),
            float(f["tempo"][b]),
            camelot(int(c.key[a]), int(c.mode[a])),
            camelot(int(c.key[b]), int(c.mode[b])),
            float(f["energy"][a]),
            float(f["energy"][b]),
        )


def _replacement(
    catalog: Catalog, intent: Intent, ids: list[str], tid: str, avoid: set[str]
) -> str:
    """The best track for ``tid``'s slot: fits the intent, sits at its place in the arc, flows with its neighbours."""
    ctx = _Context(catalog, intent)
    pos = ids.index(tid)
    out = catalog.index_of(tid)
    others = [t for t in ids if t != tid]
    variety = ctx.variety(ctx.rows(others))
    neighbours = ctx.rows([ids[p] for p in (pos - 1, pos + 1) if 0 <= p < len(ids)])
    scores = ctx.scored.scores
    best, best_value = None, -np.inf
    for cand in ctx.pool([*ids, *sorted(avoid)]):
        cand = int(cand)
        if not variety.allows(cand):
            continue
        value = float(scores[cand])
        if out is not None:
            value -= 2.0 * abs(float(ctx.place[cand]) - float(ctx.place[out])) / ctx.place_scale
            if intent.duration_minutes is not None:  # keep an asked length: a like-for-like length
                value -= (
                    0.1
                    * abs(int(catalog.duration_ms[cand]) - int(catalog.duration_ms[out]))
                    / 60_000
                )
        value -= _FLOW_WEIGHT * sum(ctx.transition(n, cand) for n in neighbours)
        if value > best_value:
            best, best_value = cand, value
    if best is None:
        raise RevisionError(
            "no_replacement",
            f"no other track fits this playlist in place of {tid!r}; remove it instead",
        )
    return catalog.ids[best]


_LIKE_FEATURES = ("energy", "danceability", "valence", "acousticness", "instrumentalness")


def _similar(
    catalog: Catalog, intent: Intent, ids: list[str], tid: str, count: int, avoid: set[str]
) -> list[str]:
    """``count`` tracks that sound most like ``tid`` among those the intent allows, closest first."""
    ref = catalog.index_of(tid)
    ctx = _Context(catalog, intent, extra=count)
    pool = ctx.pool([*ids, *sorted(avoid)])
    if ref is None or not len(pool):
        return []
    f = catalog.features
    distance = sum(np.abs(f[name][pool] - f[name][ref]) for name in _LIKE_FEATURES)
    tempo = f["tempo"][pool]
    jump = np.minimum.reduce(
        [
            np.abs(tempo - f["tempo"][ref]),
            np.abs(tempo * 2 - f["tempo"][ref]),
            np.abs(tempo - f["tempo"][ref] * 2),
        ]
    )
    shares_genre = (catalog.genre_bits[pool] & catalog.genre_bits[ref]).any(axis=1)
    value = -distance - jump / 40.0 + 0.3 * shares_genre + 0.5 * ctx.scored.scores[pool]
    variety = ctx.variety(ctx.rows(ids))
    picked: list[int] = []
    for p in np.argsort(-value, kind="stable"):
        i = int(pool[p])
        if len(picked) >= count:
            break
        if variety.allows(i):
            variety.add(i)
            picked.append(i)
    return [catalog.ids[i] for i in picked]


# ---------------------------------------------------------------- whole-playlist operations


def refine(catalog: Catalog, draft: Draft, intent: Intent, avoid: set[str]) -> Draft:
    """The playlist under a refined ``intent``, keeping the locked tracks and every track that still fits.

    A track fits when the refined intent allows it and it scores at least as well as the
    weakest track a fresh build would choose (less :data:`KEEP_TOLERANCE`). New tracks fill
    the rest, avoiding ``avoid`` and the tracks that no longer fit; all are sequenced anew.
    """
    intent = _unmeasured(intent)
    ctx = _Context(catalog, intent)
    current = set(draft.track_ids)
    reference = build_playlist(catalog, intent, exclude_ids=sorted(avoid - current))
    ref_rows = ctx.rows(t.id for t in reference.tracks)
    locked = [t for t in draft.locked if t in current]
    if not ref_rows:
        kept = locked
    else:
        # a fit: as good as the weakest fresh pick, or inside a fresh build's shortlist (2x its size)
        pool = ctx.pool(sorted(avoid - current))
        shortlist = (
            float(ctx.scored.scores[pool[min(len(pool), 2 * ctx.need) - 1]])
            if len(pool)
            else np.inf
        )
        threshold = min(float(ctx.scored.scores[ref_rows].min()), shortlist) - KEEP_TOLERANCE
        fitting = [
            (float(ctx.scored.scores[i]), n, catalog.ids[i])
            for n, i in enumerate(ctx.rows(draft.track_ids))
            if catalog.ids[i] not in locked and _fits(ctx, i, threshold)
        ]
        fitting.sort(key=lambda item: (-item[0], item[1]))
        room = max(0, ctx.need - len(locked))
        kept = locked + [tid for _, _, tid in fitting[:room]]
    return _rebuild(catalog, intent, kept, avoid | (current - set(kept)), locked)


def _fits(ctx: _Context, i: int, threshold: float) -> bool:
    intent, scored, tempo = ctx.intent, ctx.scored, float(ctx.catalog.features["tempo"][i])
    if not scored.allowed[i] or (intent.genres and not scored.genre_match[i]):
        return False
    if (intent.tempo_min is not None and tempo < intent.tempo_min) or (
        intent.tempo_max is not None and tempo > intent.tempo_max
    ):
        return False
    return float(scored.scores[i]) >= threshold


def refresh(catalog: Catalog, draft: Draft, avoid: set[str]) -> Draft:
    """A fresh version from the same intent: the locked tracks stay, everything else is new."""
    locked = [t for t in draft.locked if t in set(draft.track_ids)]
    return _rebuild(
        catalog, draft.intent, locked, avoid | set(draft.track_ids) - set(locked), locked
    )


# Notices the engine adds after measuring a build ("only 8 of 10 tracks"): a rebuild measures
# again, so the stored ones go first, or every refresh would repeat them.
_MEASURED_NOTICES = ("short", "duration")


def _unmeasured(intent: Intent) -> Intent:
    unmet = list(getattr(intent, "unmet", []) or [])
    kept = [note for note in unmet if note.split(":", 1)[0] not in _MEASURED_NOTICES]
    return intent if kept == unmet else intent.replace(**{"unmet": kept})


def _rebuild(
    catalog: Catalog, intent: Intent, keep: list[str], exclude: set[str], locked: list[str]
) -> Draft:
    intent = _unmeasured(intent)
    playlist = build_playlist(
        catalog, intent, exclude_ids=sorted(exclude - set(keep)), keep_ids=keep
    )
    return Draft(intent, [t.id for t in playlist.tracks], locked, playlist)


def extend(
    catalog: Catalog,
    draft: Draft,
    avoid: set[str],
    *,
    count: int | None = None,
    minutes: float | None = None,
) -> Draft:
    """More tracks at the end that continue the arc (its slope over the last tracks) and the flow.

    ``count`` tracks, or enough for about ``minutes`` more. The intent grows with the playlist,
    so a later refresh keeps the new length.
    """
    if (count is None) == (minutes is None):
        raise RevisionError("invalid_extend", "give either count or minutes")
    room = MAX_TRACKS - len(draft.track_ids)
    if room <= 0:
        raise RevisionError(
            "too_many_tracks", f"the playlist already holds {MAX_TRACKS} tracks, the most it can"
        )
    limit = min(room, MAX_EXTEND_TRACKS, count if count is not None else MAX_EXTEND_TRACKS)
    target_ms = None if minutes is None else minutes * 60_000 - TYPICAL_TRACK_MS / 2
    ctx = _Context(catalog, draft.intent, extra=limit)
    rows = ctx.rows(draft.track_ids)
    pool = ctx.pool([*draft.track_ids, *sorted(avoid)])
    variety = ctx.variety(rows)
    places = [float(ctx.place[i]) for i in rows]
    step = 0.0
    if ctx.intent.arc != EnergyArc.FLAT and len(places) >= 2:
        tail = places[-5:]
        limit_step = 0.05 * ctx.place_scale  # at most 0.05 energy (2 BPM) per track
        step = float(np.clip((tail[-1] - tail[0]) / (len(tail) - 1), -limit_step, limit_step))
    start = places[-1] if step else (float(np.mean(places)) if places else 0.5)
    lo, hi = (40.0, 220.0) if ctx.place_scale > 1 else (0.05, 0.98)
    prev = rows[-1] if rows else None
    added: list[int] = []
    available = np.ones(len(pool), dtype=bool)
    scores = ctx.scored.scores[pool]
    place = ctx.place[pool]
    added_ms = 0
    while len(added) < limit and (target_ms is None or added_ms < target_ms):
        target = min(hi, max(lo, start + step * (len(added) + 1)))
        value = np.where(
            available, scores - 2.0 * np.abs(place - target) / ctx.place_scale, -np.inf
        )
        best = None
        for p in np.argsort(-value, kind="stable")[:60]:  # flow decides among the closest fits
            if not np.isfinite(value[p]):
                break
            i = int(pool[p])
            if not variety.allows(i):
                available[p] = False
                continue
            v = float(value[p]) - (
                _FLOW_WEIGHT * ctx.transition(prev, i) if prev is not None else 0.0
            )
            if best is None or v > best[0]:
                best = (v, p)
        if best is None:
            break
        p = best[1]
        i = int(pool[p])
        available[p] = False
        variety.add(i)
        added.append(i)
        added_ms += int(catalog.duration_ms[i])
        prev = i
    if not added:
        raise RevisionError(
            "nothing_to_add", "no more tracks fit this playlist without repeating one"
        )
    ids = list(draft.track_ids) + [catalog.ids[i] for i in added]
    update: dict[str, object] = {}
    if draft.intent.duration_minutes is not None:
        update["duration_minutes"] = draft.intent.duration_minutes + added_ms / 60_000
    else:
        update["limit"] = len(ids)
    intent = Intent.from_dict({**draft.intent.to_dict(), **update})
    return Draft(intent, ids, list(draft.locked))


def render(catalog: Catalog, draft: Draft) -> Playlist:
    """The draft as a playlist (tracks described, stats measured), in the draft's order."""
    if draft.playlist is not None and [t.id for t in draft.playlist.tracks] == draft.track_ids:
        return draft.playlist
    return build_playlist(catalog, draft.intent, fixed_ids=draft.track_ids)


def changes(old: Sequence[str], new: Sequence[str]) -> Changes:
    """What a version changed: tracks added, removed, and those kept whose order among the kept changed."""
    old_pos = {tid: n for n, tid in enumerate(old)}
    new_set = set(new)
    added = [tid for tid in new if tid not in old_pos]
    removed = [tid for tid in old if tid not in new_set]
    common = [tid for tid in new if tid in old_pos]
    # tracks on the longest run that kept its relative order did not move; the others did
    stay = _longest_increasing([old_pos[tid] for tid in common])
    moved = [
        {"track_id": tid, "from": old_pos[tid], "to": new.index(tid)}
        for n, tid in enumerate(common)
        if n not in stay
    ]
    return Changes(added, removed, moved)


def _longest_increasing(values: list[int]) -> set[int]:
    """Indices of one longest strictly increasing subsequence (patience sorting)."""
    tails: list[int] = []
    tail_at: list[int] = []
    parent = [-1] * len(values)
    for n, v in enumerate(values):
        k = bisect_left(tails, v)
        if k == len(tails):
            tails.append(v)
            tail_at.append(n)
        else:
            tails[k] = v
            tail_at[k] = n
        parent[n] = tail_at[k - 1] if k else -1
    out: set[int] = set()
    n = tail_at[-1] if tail_at else -1
    while n != -1:
        out.add(n)
        n = parent[n]
    return out
