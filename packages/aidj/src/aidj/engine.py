"""From intent to ordered playlist: score the catalog, pick with variety, sequence like a DJ."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence

import numpy as np

from aidj.catalog import Catalog, positions_of
from aidj.coherence import (
    REGION_CANDIDATES,
    choose_region,
    interleave_mix,
    mix_groups,
    take_turns,
    unrelated_pairs,
)
from aidj.genre_map import aliases, with_scenes
from aidj.genres import OTHER_LABELS
from aidj.intent import EnergyArc, Intent
from aidj.named_rows import BuildRows
from aidj.notices import code, render
from aidj.playlist import Playlist, PlaylistTrack
from aidj.sampled_region import release, sampled_region, uses_sample
from aidj.scoring import Scored, fit_scores, genre_match, scratch_for
from aidj.selection import (
    Variety,
    candidate_pool,
    fit_duration,
    harmonise,
    pool_size,
    ranked,
    select,
    wanted_count,
)
from aidj.sequencing import camelot, mean, order, transition_stats
from aidj.taste import steer as taste_steer
from aidj.track_details import describe_tracks


def build_playlist(
    catalog: Catalog,
    intent: Intent,
    *,
    exclude_ids: Iterable[str] = (),
    keep_ids: Sequence[str] = (),
    fixed_ids: Sequence[str] | None = None,
    taste: taste_steer.Taste | None = None,
) -> Playlist:
    """Build the playlist an intent asks for. Never raises for an odd intent: it may come back short.

    ``keep_ids``: tracks that must stay (locked, or still fitting a refined prompt); the rest is
    chosen around them and everything is sequenced together. ``fixed_ids``: exactly these tracks
    in exactly this order (an edited playlist), only scored, described and measured.
    ``taste``: a listener's profile, which reorders and fills within what fits (``aidj.taste``).
    """
    started = time.perf_counter()
    leaning = None
    if taste_steer.active(taste) and fixed_ids is None:
        assert taste is not None
        leaning = taste_steer.lean(catalog, taste)
        intent = taste_steer.shape(catalog, intent, taste)
    intent = with_seed_profile(catalog, intent)
    need = wanted_count(catalog, intent)
    rows_for = BuildRows(catalog)
    intent = with_scenes(
        catalog,
        intent,
        need,
        lambda genres, scenes: rows_for(aliases(genres), scenes, intent.seed_artists) or catalog,
    )
    intent = with_reachable_era(catalog, intent, need)
    exclude = None
    excluded_ids = [i for tid in exclude_ids if (i := catalog.index_of(tid)) is not None]
    if excluded_ids:
        exclude = np.zeros(len(catalog), dtype=bool)
        exclude[excluded_ids] = True
    if leaning is not None and leaning.never is not None:
        exclude = leaning.never if exclude is None else exclude | leaning.never
    favourites = None if leaning is None else leaning.rows
    sampled = (
        sampled_region(catalog, intent, need, exclude, keep=favourites)
        if uses_sample(catalog, intent, need)
        else None
    )
    mixed = None
    lent: tuple[Scored, np.ndarray] | None = None  # lent score arrays, the rows written in them
    if sampled is not None:  # millions of tracks, no genre named: see aidj.sampled_region
        scored, pool, region = sampled
    else:
        scored, pool, mixed, written = score_and_rank(
            catalog, intent, need, exclude, rows_for, keep=favourites
        )
        # (taste may hand on a copy: these are the arrays lent)
        lent = None if written is None else (scored, written)
        prefer = None if leaning is None else leaning.genre_preference
        region = choose_region(catalog, intent, scored.scores, pool, need, prefer)
    pool = region.rows if region is not None else pool[: pool_size(need)]
    if mixed is not None:  # the mix's turns, taken on the genres' rows (score_and_rank)
        pool = take_turns(mixed, pool)
    elif intent.genres:
        # a named mix draws each style in turn; an arc then places them ("house down to ambient")
        allowed = scored.allowed if exclude is None else scored.allowed & ~exclude
        pool = interleave_mix(catalog, intent, pool, scored.scores, allowed, pool_size(need))
    if leaning is not None:
        anchor = region.anchor if region is not None else None
        mix = len(mix_groups(catalog, intent)) > 1
        scored, pool = taste_steer.steer(
            catalog, intent, scored, pool, need, exclude, anchor, leaning, keep_order=mix
        )
    seeds = frozenset(a for name in intent.seed_artists for a in catalog.artist_ids_matching(name))
    variety = Variety(catalog, seed_artist_ids=seeds)
    stages = journey_stages(catalog, intent)
    if stages and intent.energy is not None:
        # a journey's arc spans its styles' own energies, not one style's hint
        intent = intent.replace(**{"energy": None})
    kept = _rows(catalog, fixed_ids if fixed_ids is not None else keep_ids)
    for i in kept:
        variety.add(i)
    if fixed_ids is not None:
        chosen = kept
    elif kept:
        # length fitting and key swaps may drop any pick: with kept tracks only new ones are chosen
        chosen = kept + select(catalog, intent, scored, pool, max(0, need - len(kept)), variety)
    else:
        chosen = select(catalog, intent, scored, pool, need, variety, stages)
        chosen = fit_duration(catalog, intent, pool, chosen, variety)
        chosen = harmonise(catalog, intent, scored.scores, pool, chosen, variety)

    # the picks' columns read once (tolist gives the floats and ints float()/int() gave); kept
    # as float64 arrays too, for the stats' means and jumps without converting the lists back
    at = np.asarray(chosen, dtype=np.int64)
    tempo_at = catalog.features["tempo"][at].astype(np.float64)
    energy_at = catalog.features["energy"][at].astype(np.float64)
    tempos, energies = tempo_at.tolist(), energy_at.tolist()
    keys = list(map(camelot, catalog.key[at].tolist(), catalog.mode[at].tolist()))
    if fixed_ids is not None:
        play_order = list(range(len(chosen)))
    else:
        unrelated = unrelated_pairs(catalog, at)
        play_order = order(
            tempos,
            keys,
            energies,
            intent.arc,
            by_tempo=intent.arc_by == "tempo",
            unrelated=unrelated,
            columns=(tempo_at, energy_at),
        )
        if stages:
            # a journey plays each style's stretch in turn, the arc running through all of them
            stage = [
                next((s for s, mask in enumerate(stages) if mask[i]), len(stages)) for i in chosen
            ]
            play_order = sorted(
                play_order, key=lambda p: stage[p]
            )  # stable: the arc order within a stage
    rows = [chosen[p] for p in play_order]
    played_keys = [keys[p] for p in play_order]
    tracks = describe_tracks(catalog, intent, rows, scored.scores, played_keys)
    if leaning is not None:
        tracks = taste_steer.explain(tracks, catalog, leaning, intent.language)
    if fixed_ids is None:  # an edited playlist is as long as its owner made it
        intent = _with_shortfalls(intent, tracks, need)
        intent = _with_sound_shortfall(catalog, intent, rows)
    stats: dict[str, object] = {**transition_stats(tempo_at[play_order], played_keys)}
    duration_ms = sum(t.duration_ms for t in tracks)
    # a count: the picks in any order
    genre_hits = int(np.count_nonzero(scored.genre_match[at])) if intent.genres else len(tracks)
    stats.update(
        tracks=len(tracks),
        duration_ms=duration_ms,
        duration_minutes=round(duration_ms / 60_000, 1),
        genre_match_share=round(genre_hits / len(tracks), 3) if tracks else 0.0,
        mean_energy=round(mean(energy_at), 3) if tracks else 0.0,
        mean_tempo=round(mean(tempo_at), 1) if tracks else 0.0,
        energy_curve=[round(t.energy, 2) for t in tracks],
        candidates=len(pool),
        region=region.anchor if region is not None else None,
        build_ms=round((time.perf_counter() - started) * 1000, 2),
    )
    if sampled is not None:
        written = sampled[1] if favourites is None else np.concatenate([sampled[1], favourites])
        release(catalog, sampled[0], written)  # nothing reads its scores any more
    if lent is not None:
        scratch_for(catalog).give_back(*lent)  # nothing reads its scores any more
    return Playlist(
        intent=intent, tracks=tracks, stats=stats, notices=render(intent.unmet, intent.language)
    )


def journey_stages(catalog: Catalog, intent: Intent) -> list[np.ndarray] | None:
    """Masks of the styles an up or down arc travels through, in the order named
    ("deep house sliding down into ambient"); None when the arc stays in one style."""
    if intent.arc not in (EnergyArc.BUILD_UP, EnergyArc.WIND_DOWN):
        return None
    groups = mix_groups(catalog, intent)
    return [catalog.genre_mask(group) for group in groups] if len(groups) > 1 else None


# An era that leaves fewer dated tracks than this many per wanted one is widened, step by step.
ERA_DEPTH = 2
ERA_WIDEN_YEARS = (5, 10)


def with_reachable_era(catalog: Catalog, intent: Intent, need: int) -> Intent:
    """Keep an asked era when the catalog has enough dated tracks from it; otherwise widen it
    a few years at a time, or drop it, and record what happened for the notices."""
    if intent.year_min is None and intent.year_max is None:
        return intent
    asked = intent
    if intent.genres:
        # the dated files label styles their own way ("hip hop", "rap"): an era reaches for those labels too
        labels = [
            label
            for g in intent.genres
            for label in OTHER_LABELS.get(g, ())
            if catalog.genre_index(label) is not None
        ]
        if labels:
            intent = intent.replace(genres=list(dict.fromkeys([*intent.genres, *labels])))
    lo, hi = intent.year_min or 1900, intent.year_max or 2100
    year, playable = catalog.year, catalog.playable()
    if intent.genres:
        # the asked style is the more specific ask: "90s Brazilian rock" on a catalog that dates
        # few Brazilian tracks keeps the style and says the era could not be checked
        playable = playable & genre_match(catalog, intent)
    in_era = int(np.count_nonzero(playable & (year >= lo) & (year <= hi)))
    if in_era >= need * ERA_DEPTH:
        return intent
    for widen in ERA_WIDEN_YEARS:
        wider = (lo - widen, hi + widen)
        found = int(np.count_nonzero(playable & (year >= wider[0]) & (year <= wider[1])))
        if found >= need * ERA_DEPTH:
            note = code("era_thin", lo, hi, in_era, *wider) if in_era else code("era_none", lo, hi)
            return intent.replace(year_min=wider[0], year_max=wider[1], unmet=[*intent.unmet, note])
    # no era to be had: the style as asked, without the other files' labels
    return asked.replace(
        **{
            "year_min": None,
            "year_max": None,
            "unmet": [*asked.unmet, code("era_none", lo, hi)],
        }
    )


# "instrumental hip hop": a modifier is a preference on the style; when the style's tracks cannot
# meet it (the playlist's mean stays under SOUND_SHORT while the intent asked SOUND_ASKED or
# more), the listener is told instead of being handed a replacement genre
SOUND_ASKED, SOUND_SHORT = 0.6, 0.3


def _with_sound_shortfall(catalog: Catalog, intent: Intent, rows: list[int]) -> Intent:
    """Record an instrumental preference the named style could not meet."""
    asked = intent.instrumentalness
    if asked is None or asked < SOUND_ASKED or not intent.genres or not rows:
        return intent
    if mean(catalog.features["instrumentalness"][rows].astype(np.float64)) >= SOUND_SHORT:
        return intent
    return intent.replace(unmet=[*intent.unmet, code("instrumental")])


def _with_shortfalls(intent: Intent, tracks: list[PlaylistTrack], need: int) -> Intent:
    """Record a count or length the playlist could not reach."""
    notes: list[str] = []
    if intent.duration_minutes is not None:
        minutes = sum(t.duration_ms for t in tracks) / 60_000
        if abs(minutes - intent.duration_minutes) > 0.05 * intent.duration_minutes:
            notes.append(code("duration", round(minutes), round(intent.duration_minutes)))
    elif len(tracks) < need:
        notes.append(code("short", len(tracks), need))
    return intent.replace(**{"unmet": [*intent.unmet, *notes]}) if notes else intent


def _rows(catalog: Catalog, ids: Sequence[str]) -> list[int]:
    """Catalog rows of ``ids`` in their order; unknown ids and repeats are dropped."""
    rows: list[int] = []
    for tid in ids:
        i = catalog.index_of(tid)
        if i is not None and i not in rows:
            rows.append(i)
    return rows


# Above this share of the catalog, reading the genre's rows costs about what scoring all does.
GENRE_INDEX_MAX_SHARE = 0.25


def score_and_rank(
    catalog: Catalog,
    intent: Intent,
    need: int,
    exclude: np.ndarray | None,
    rows_for: BuildRows | None = None,
    keep: np.ndarray | None = None,
) -> tuple[Scored, np.ndarray, list[np.ndarray] | None, np.ndarray | None]:
    """Scores, the ranked candidate pool (catalog rows, best first), for a named mix scored
    on its genres' rows each style's own ranking (for :func:`aidj.coherence.take_turns`), and
    when the scores are the genres' rows' in lent arrays (:func:`aidj.scoring.scratch_for`), the
    catalog rows written: give them back when nothing reads the scores any more.

    ``keep``: catalog rows a later step reads the scores of besides the pool's (a listener's
    favourites, which taste may add): scored on the genres' rows, they keep theirs too.

    With a genre index (large catalogs) and a prompt naming genres, only the rows it can draw
    from are scored (the labels' rows, a named scene's, the seed artists': aidj.named_rows);
    the pool is the same as scoring everything, and whenever that cannot be guaranteed (a
    genre too thin for the soft constraints) the whole catalog is scored.
    """
    groups = mix_groups(catalog, intent) if intent.genres else []
    if intent.genres:
        labels = aliases(intent.genres)
        subset = (rows_for or BuildRows(catalog))(labels, intent.scenes, intent.seed_artists)
        # a mix ranks each style among all its tracks: those are the genres' rows too, when
        # every style of the mix is one of the labels
        whole_styles = all(g in labels for grp in groups for g in grp)
        if (
            subset is not None
            and whole_styles
            and len(subset) <= GENRE_INDEX_MAX_SHARE * len(catalog)
        ):
            rows = subset.rows
            scored = fit_scores(subset, intent)
            left = None if exclude is None else exclude[rows]
            picked = candidate_pool(subset, intent, scored, need, left, genre_rows_only=True)
            if picked is not None:
                allowed = scored.allowed if left is None else scored.allowed & ~left
                queues = [
                    ranked(allowed & subset.genre_mask(grp), scored.scores, pool_size(need))
                    for grp in groups
                ]
                kept = [] if keep is None else [positions_of(rows, keep)]
                every = np.concatenate([picked, *queues, *kept])
                mixed = [rows[q] for q in queues] if len(queues) > 1 else None
                # later steps read the candidates' scores only: lent catalog-sized arrays, zero
                # elsewhere, skip zeroing three fresh ones per build
                at = rows[every]
                lent = scratch_for(catalog).lend(scored, every, at)
                return lent, rows[picked], mixed, at
    scored = fit_scores(catalog, intent)
    # a genre-free request gets a deeper list: its region (see coherence) is chosen from it
    deep = None if intent.genres else max(REGION_CANDIDATES, pool_size(need))
    pool = candidate_pool(catalog, intent, scored, need, exclude, size=deep)
    assert pool is not None  # only the genre-rows path declines
    return scored, pool, None, None


_BROAD_GENRES = frozenset(
    {
        "pop",
        "rock",
        "dance",
        "hip-hop",
        "indie",
        "alternative",
        "electronic",
        "happy",
        "sad",
        "chill",
        "party",
        "acoustic",
        "singer-songwriter",
        "songwriter",
    }
)


def with_seed_profile(catalog: Catalog, intent: Intent) -> Intent:
    """'Music like Daft Punk': borrow the named artists' genres and sound for what is unset."""
    if not intent.seed_artists:
        return intent
    mask = catalog.artist_mask(intent.seed_artists)
    if not mask.any():
        return intent
    idx = np.flatnonzero(mask)
    update: dict[str, object] = {}
    if not intent.genres:
        # unpack the genre bits of the seed rows only: a full (n x genres) matrix is 1 GB at 10M tracks
        bits = np.unpackbits(catalog.genre_bits[idx], axis=1, bitorder="little")[
            :, : len(catalog.genres)
        ]
        counts = bits.sum(axis=0)
        ranked = [catalog.genres[g] for g in np.argsort(-counts, kind="stable") if counts[g] > 0]
        # specific styles first: "pop" describes half the catalog, "electro"/"house" describe Daft Punk
        ranked.sort(key=lambda g: g in _BROAD_GENRES)
        update["genres"] = ranked[:3]
    for name in ("energy", "danceability", "valence", "acousticness"):
        if getattr(intent, name) is None:
            update[name] = round(float(np.median(catalog.features[name][idx])), 3)
    return Intent.from_dict({**intent.to_dict(), **update})
