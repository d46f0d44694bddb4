"""One genre map over every catalog file: aliases, parents, each style's core and each track's scene.

The catalog files label differently and skewedly: the 114k file's "hip-hop" is mostly Indian
hip-hop, its "funk" mostly Brazilian funk carioca, its "metal" holds Red Hot Chili Peppers; the
TidyTuesday file says "rap", "trap", "gangster rap". A listener asking for "hip hop" means the
style as the world knows it; one asking for "German rap" means tracks that are both. So the map,
compiled with the catalog (deterministically, from the data alone), holds:

- **aliases**: the same style under another file's labels (``common/genres.json`` ``other_labels``);
- **parents**: sub-style -> style (``parents``); a style's *family* is itself and all below it;
- **scenes**: each track's place, as a language code ("hi", "pt", "sv"), from evidence in the
  data: its title's script, else its first artist's place, from their own regional and
  local-style labels (``local_genres``; labels both files use name TidyTuesday playlists, not
  places), their co-credited artists, TidyTuesday playlists whose placed tracks nearly all share
  a scene, and titles mostly in one language (an artist is placed when at least
  :data:`PLACE_SHARE` of their tracks say so) — never a hand list of artists;
- **cores**: an artist belongs to a label's core when they carry it and the style's family holds
  at least :data:`CORE_SHARE` of their style labels, not counting places, moods and the style's
  ancestors (Metallica is "hard rock" and "rock" too; Red Hot Chili Peppers is as much "funk"
  and "alternative" as "metal"). A track is in the core of each of its labels its first artist
  is core for. A label a good share of whose tracks come from one scene it does not name is
  *skewed* (:data:`SKEW_SHARE`); for it the artists the other file files under the same style
  (or, for a style only the 114k file knows, artists heard in two of its styles) come first.

At prompt time a style asked for without a place is its core in the listener's own scene or no
scene; a place named is an intersection (:func:`scene_match`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any, Protocol

import numpy as np

from aidj.bitsets import MaskCache, bits_mask
from aidj.intent import Intent
from aidj.language import READ, markers, script_language
from aidj.languages import language_packs
from aidj.notices import code
from aidj.text import fold


class Tracks(Protocol):
    """What the map reads of a catalog (``Catalog`` or a ``CatalogRows`` subset)."""

    # read-only: a subset gathers each column when first read
    @property
    def features(self) -> Any: ...
    @property
    def artist_id(self) -> np.ndarray: ...
    @property
    def genre_bits(self) -> np.ndarray: ...
    @property
    def place(self) -> np.ndarray | None: ...
    @property
    def places(self) -> list[str]: ...
    @property
    def core_bits(self) -> np.ndarray | None: ...
    @property
    def style_bits(self) -> np.ndarray | None: ...
    @property
    def skewed(self) -> np.ndarray | None: ...
    @property
    def versatile(self) -> np.ndarray | None: ...
    @property
    def artist_bits(self) -> np.ndarray | None: ...
    @property
    def unfiled(self) -> np.ndarray | None: ...

    def __len__(self) -> int: ...
    def genre_index(self, genre: str) -> int | None: ...
    def genre_mask(self, genres: Iterable[str]) -> np.ndarray: ...
    def playable(self) -> np.ndarray: ...


# Share of an artist's tracks that must say a place for the artist to be from there.
PLACE_SHARE = 0.3
# Share of an artist's labels (ancestors' labels aside) a style's family must hold.
CORE_SHARE = 0.5
# An artist's titles place them when at least this many, and this share, are in one language.
TITLE_MIN = 2
TITLE_SHARE = 0.5
# ... or PLACE_SHARE of them when this share of the titles that say a language agree.
TITLE_AGREE = 0.8
# A playlist is one scene's when at least this many, and this share, of its tracks' artists
# are placed there, and nearly all of its placed artists agree.
PLAYLIST_MIN = 3
PLAYLIST_SHARE = 0.1
PLAYLIST_AGREE = 0.8
# A label is skewed when this share of its tracks come from one foreign scene.
SKEW_SHARE = 0.2
# Two scenes' labels are mixed when this share of each one's tracks are by artists both claim.
MIXED_SHARE = 0.3

_COMMON = language_packs().common.genres


@lru_cache(maxsize=1)
def local_labels() -> dict[str, str]:
    """Catalog label -> the language of the scene it names ("pop-film" -> "hi", "k-pop" -> "ko")."""
    from aidj.genres import anchor_rules  # genres imports nothing from here; kept lazy for start-up

    _, local = anchor_rules()
    table: dict[str, str] = {}
    for lang in sorted(local):
        for label in sorted(local[lang]):
            table.setdefault(label, lang)
    for nation, lang in sorted(_COMMON.scene_languages.items()):
        table.setdefault(nation, lang)
    return table


def scene_language(nation: str) -> str | None:
    """'swedish' -> 'sv'; a language code passes through; None when unknown."""
    if nation in _COMMON.scene_languages:
        return _COMMON.scene_languages[nation]
    if nation in _COMMON.nation_languages:
        return _COMMON.nation_languages[nation]
    return nation if 2 <= len(nation) <= 3 and nation.isalpha() else None


# every label either catalog file is known to use for a style (the 114k slugs and the other
# file's labels for them): a style a model names outside these ("britpop") is no style here
_KNOWN_LABELS = frozenset(
    [*_COMMON.genres, *(label for labels in _COMMON.other_labels.values() for label in labels)]
)


def aliases(labels: Iterable[str]) -> list[str]:
    """The labels and their other files' labels for the same style, in order, once each."""
    out: list[str] = []
    for label in labels:
        for alias in (label, *_COMMON.other_labels.get(label, ())):
            if alias not in out:
                out.append(alias)
    return out


def _ancestors(slug: str) -> list[str]:
    out: list[str] = []
    parent = _COMMON.parents.get(slug)
    while parent is not None and parent not in out and parent != slug:
        out.append(parent)
        parent = _COMMON.parents.get(parent)
    return out


def family(slug: str) -> list[str]:
    """The slug, every sub-style below it, and their other files' labels."""
    below = [s for s in sorted(_COMMON.parents) if slug in _ancestors(s)]
    return aliases([slug, *below])


def _slugs_of(label: str) -> list[str]:
    """The slugs a label stands for: itself, or the slugs listing it as another file's label."""
    if label in _COMMON.genres:
        return [label]
    return sorted(s for s, others in _COMMON.other_labels.items() if label in others)


# ------------------------------------------------------------------ compiling (catalog build)


def compile_map(
    bits: np.ndarray,
    vocab: Sequence[str],
    artist_ptr: np.ndarray,
    artist_idx: np.ndarray,
    n_artists: int,
    titles: Sequence[str],
    playlists: Sequence[Sequence[int]] = (),
) -> dict[str, Any]:
    """The map's columns: ``place`` (int8 per track, index into ``places``; 0 = no scene),
    ``core_bits`` (as ``genre_bits``: the labels a track carries and is core for),
    ``style_bits`` (the labels its first artist is core for), ``artist_bits`` (the labels its
    first artist carries anywhere), ``versatile``, ``unfiled`` and ``skewed`` (per label)."""
    n, n_labels = len(bits), len(vocab)
    onehot = np.unpackbits(bits, axis=1, bitorder="little")[:, :n_labels].astype(bool)
    credits = np.diff(artist_ptr).astype(np.int64)
    credit_track = np.repeat(np.arange(n, dtype=np.int64), credits)
    credit_artist = artist_idx.astype(np.int64)
    first_artist = np.where(
        credits > 0, artist_idx[np.minimum(artist_ptr[:-1], len(artist_idx) - 1)], -1
    )

    place, hint, places = _places(
        onehot, vocab, titles, credit_track, credit_artist, artist_ptr, n_artists, playlists
    )
    counts = np.zeros((max(1, n_artists), n_labels), dtype=np.int32)
    for g in range(n_labels):
        counts[:, g] = np.bincount(
            credit_artist[onehot[credit_track, g]], minlength=max(1, n_artists)
        )
    index = {label: g for g, label in enumerate(vocab)}
    # places and moods are no styles: "swedish" next to "metal" leaves Sabaton a metal band
    styles_only = [g for g, label in enumerate(vocab) if label not in _not_styles()]
    total = counts[:, styles_only].sum(axis=1)
    artist_core = np.zeros((max(1, n_artists), n_labels), dtype=bool)
    skewed = _skewed(onehot, hint, vocab, places)
    for g, label in enumerate(vocab):
        slugs = _slugs_of(label)
        members = sorted({index[x] for s in slugs for x in family(s) if x in index} | {g})
        above = sorted(
            {index[x] for s in slugs for a in _ancestors(s) for x in aliases([a]) if x in index}
            - set(members)
            - {index[x] for x in _not_styles() if x in index}
        )
        if label not in _COMMON.genres:
            # another file's label ("rap") vouches for an artist only where that file's own
            # labels carry them: a few credits next to many skewed ones say little
            members = [m for m in members if vocab[m] not in _COMMON.genres] or [g]
        own = counts[:, members].sum(axis=1)
        rest = total - (counts[:, above].sum(axis=1) if above else 0)
        core = (counts[:, g] > 0) & (own >= CORE_SHARE * rest)
        artist_core[:, g] = core
    # versatile: heard in two of the 114k file's style slices or more (its own slugs only)
    style_ids = [
        g for g in styles_only if vocab[g] in _COMMON.genres and vocab[g] not in local_labels()
    ]
    kinds = (counts[:, style_ids] > 0).sum(axis=1) if style_ids else np.zeros(len(counts), int)
    versatile = np.zeros(n, dtype=bool)
    has_artist = first_artist >= 0
    versatile[has_artist] = kinds[first_artist[has_artist]] >= 2
    heard = np.zeros((n, n_labels), dtype=bool)
    heard[has_artist] = counts[first_artist[has_artist]] > 0
    styles = np.zeros((n, n_labels), dtype=bool)
    styles[has_artist] = artist_core[first_artist[has_artist]]
    # tracks no style label files, by artists no style claims: known only by their place
    style_slugs = [g for g in styles_only if vocab[g] in _COMMON.genres]
    unfiled = ~onehot[:, styles_only].any(axis=1) & ~styles[:, style_slugs].any(axis=1)
    return {
        "unfiled": unfiled,
        "place": place,
        "places": places,
        "style_bits": np.packbits(styles, axis=1, bitorder="little"),
        "core_bits": np.packbits(styles & onehot, axis=1, bitorder="little"),
        "skewed": skewed,
        "versatile": versatile,
        "artist_bits": np.packbits(heard, axis=1, bitorder="little"),
    }


def _skewed(
    onehot: np.ndarray, place: np.ndarray, vocab: Sequence[str], places: list[str]
) -> np.ndarray:
    """Labels a good share of whose tracks come from one scene the label does not name
    (the 114k file's "hip-hop" from India, its "funk" from Brazil)."""
    out = np.zeros(onehot.shape[1], dtype=bool)
    local = local_labels()
    for g, label in enumerate(vocab):
        scenes = place[onehot[:, g]].astype(np.int64)
        if len(scenes) == 0:
            continue
        counts = np.bincount(scenes, minlength=len(places))
        counts[0] = 0
        if label in local:
            counts[places.index(local[label])] = 0  # "k-pop" from Korea is no skew
        out[g] = counts.max() >= SKEW_SHARE * len(scenes)
    return out


def _places(
    onehot: np.ndarray,
    vocab: Sequence[str],
    titles: Sequence[str],
    credit_track: np.ndarray,
    credit_artist: np.ndarray,
    artist_ptr: np.ndarray,
    n_artists: int,
    playlists: Sequence[Sequence[int]] = (),
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Each track's scene (its title's script, else its first artist's), any hint of a scene
    (its own labels too), and the scene codes."""
    # a label both files use ("latin", "reggaeton") names a TidyTuesday playlist as often as a
    # scene, and those playlists hold English crossover hits: only the 114k file's own say where
    shared = {label for others in _COMMON.other_labels.values() for label in others}
    table = {k: v for k, v in local_labels().items() if k not in shared}
    codes = sorted(
        {*table.values(), *READ, "ar", "el", "he", "hi", "ja", "ko", "ru", "th", "zh"} - {"en"}
    )
    places = ["", *codes]
    at = {code: i for i, code in enumerate(places)}
    label_place = np.array([at[table[label]] if label in table else 0 for label in vocab], np.int64)
    n = len(onehot)
    evidence = (onehot * label_place).max(axis=1) if len(vocab) else np.zeros(n, np.int64)
    script = np.zeros(n, dtype=bool)
    worded = np.zeros(n, dtype=np.int64)  # the language a title's words give away, if any
    words = _marker_languages()
    spoken: dict[str, str] = {}  # title -> its language ("" for none): titles repeat
    for i, title in enumerate(titles):
        lang = None if title.isascii() else script_language(title)
        if lang in at:
            evidence[i] = at[lang]  # a title's script is the surest sign
            script[i] = True
        elif (lang := spoken.get(title)) is None:
            lang = spoken[title] = _title_language(title, words)
        if not script[i] and lang in at:
            worded[i] = at[lang]
    size = max(1, n_artists)
    tracks = np.bincount(credit_artist, minlength=size)

    def placed(votes: np.ndarray) -> np.ndarray:
        votes[:, 0] = 0
        best = np.argmax(votes, axis=1)  # ties: the lower code, so every build agrees
        return np.where(
            votes[np.arange(size), best] >= np.maximum(1, PLACE_SHARE * tracks), best, 0
        )

    own = np.zeros((size, len(places)), dtype=np.int64)
    np.add.at(own, (credit_artist, evidence[credit_track]), 1)
    # an artist two scenes' labels claim (the 114k file files Tamil film composers under both
    # "pop-film" and "k-pop") is placed by the company they keep, not by the larger sample
    claims = _contested(onehot, label_place, credit_track, credit_artist, size, len(places))
    first = placed(own.copy())  # each artist's place from their own tracks alone
    # co-credited artists vouch for each other: Tamil film songs filed under "k-pop" are sung
    # with singers the catalog places in India
    co_votes = np.zeros_like(own)
    co = first[credit_artist]
    starts = artist_ptr[:-1][credit_track]
    stops = artist_ptr[1:][credit_track]
    for j in np.flatnonzero(stops - starts > 1):
        for k in range(int(starts[j]), int(stops[j])):
            if k != j and co[k]:
                co_votes[credit_artist[j], co[k]] += 1
    titled = np.zeros((size, len(places)), dtype=np.int64)
    np.add.at(titled, (credit_artist, worded[credit_track]), 1)
    titled[:, 0] = 0
    votes = own + co_votes
    final = placed(votes)
    # of the scenes that claim a contested artist, the one their titles' language says, else
    # their co-credited singers
    said = titled * claims
    company = np.where(said.sum(axis=1, keepdims=True) > 0, said, co_votes * claims)
    by_company = company.sum(axis=1) > 0
    final = np.where(by_company, np.argmax(company, axis=1), final)
    # a playlist whose placed tracks nearly all share a scene is that scene's ("Hip Te Hop" is
    # Punjabi); an artist most of whose playlist tracks sit in one scene's playlists is from
    # there (the 114k file's many copies of their tracks must not outvote that)
    lead = np.where(artist_ptr[1:] > artist_ptr[:-1], artist_idx_of(artist_ptr, credit_artist), -1)
    listed = _listed(playlists, lead, final, size, len(places))
    in_lists = listed[:, 1:].argmax(axis=1) + 1 if len(places) > 1 else np.zeros(size, np.int64)
    share = listed[np.arange(size), in_lists]
    from_lists = (share > 0) & (share == listed[:, 0])  # every playlist they are in
    from_lists |= (share >= TITLE_MIN) & (share >= 0.5 * listed[:, 0])
    final = np.where((final == 0) & from_lists, in_lists, final)
    # artists nothing else places, most of whose titles are in one language (a word or two in
    # one title is no sign: "As It Was" reads as Portuguese): funk carioca MCs, German rappers
    best = np.argmax(titled, axis=1)
    says = titled[np.arange(size), best]
    # or a good share of them, with no title saying another language (a banda's "Corazón",
    # "Tú y las Nubes" beside titles of no telling words)
    agree = (says >= PLACE_SHARE * tracks) & (says >= TITLE_AGREE * titled.sum(axis=1))
    final = np.where(
        (final == 0) & (says >= TITLE_MIN) & ((says >= TITLE_SHARE * tracks) | agree),
        best,
        final,
    )
    # a track's place: its title's script, else its artists' place (a label on one track says
    # little: the TidyTuesday "latin" playlists hold English crossover hits)
    by_artist = np.where(lead >= 0, final[np.maximum(lead, 0)], 0)
    place = np.where(script, evidence, by_artist)
    # any sign at all of a scene: what tells a skewed label (see _skewed)
    hint = np.where(place > 0, place, evidence)
    return place.astype(np.int8), hint, places


def _contested(
    onehot: np.ndarray,
    label_place: np.ndarray,
    credit_track: np.ndarray,
    credit_artist: np.ndarray,
    size: int,
    n_places: int,
) -> np.ndarray:
    """(artists, places): the scenes that claim each artist where two scenes' labels share a
    good part of their artists (:data:`MIXED_SHARE` of each one's tracks: the 114k file's
    "k-pop" and "pop-film" both file Tamil film composers); all False elsewhere."""
    claims = np.zeros((size, n_places), dtype=np.int64)
    for g in np.flatnonzero(label_place):
        on = onehot[credit_track, g]
        np.add.at(claims[:, int(label_place[g])], credit_artist[on], 1)
    claimed = claims > 0
    total = claims.sum(axis=0)
    # shared[p, q]: scene p's label tracks by artists scene q's labels claim too
    shared = claims.T @ claimed.astype(np.int64)
    out = np.zeros((size, n_places), dtype=bool)
    for p in range(1, n_places):
        for q in range(p + 1, n_places):
            if (
                total[p]
                and total[q]
                and shared[p, q] >= MIXED_SHARE * total[p]
                and shared[q, p] >= MIXED_SHARE * total[q]
            ):
                both = claimed[:, p] & claimed[:, q]
                out[both, p] = out[both, q] = True
    return out


@lru_cache(maxsize=1)
def _marker_languages() -> dict[str, tuple[str, ...]]:
    """Marker word -> the languages it gives away (each pack's ``words.markers`` and
    ``words.title_markers``: "corazon", "saudade")."""
    packs = language_packs().packs
    table: dict[str, list[str]] = {}
    for lang, found in sorted(markers().items()):
        for word in sorted({*found, *packs[lang].words.title_markers}):
            table.setdefault(word, []).append(lang)
    # scenes without a pack: transliterated titles ("Maan Meri Jaan", "Enna Kurai")
    for lang, found in sorted(_COMMON.title_markers.items()):
        for word in sorted(found):
            table.setdefault(word, []).append(lang)
    return {word: tuple(langs) for word, langs in table.items()}


@lru_cache(maxsize=1)
def _marker_letters() -> tuple[tuple[str, str], ...]:
    """(letters, language) for each pack's ``words.marker_letters`` ("ñ" -> es, "ão" -> pt)."""
    packs = language_packs().packs
    return tuple(
        (letters, lang)
        for lang in sorted(markers())
        for letters in packs[lang].words.marker_letters
    )


def _title_language(title: str, words: dict[str, tuple[str, ...]]) -> str:
    """The one language most of a title's marker words and letters belong to; "" when none or a
    tie (a lean :func:`aidj.language.detect`: a catalog's titles are read once per compile)."""
    counts: dict[str, int] = {}
    for word in re.findall(r"[a-z]+", fold(title)):
        for lang in words.get(word, ()):
            counts[lang] = counts.get(lang, 0) + 1
    if not title.isascii():
        lowered = title.lower()
        for letters, lang in _marker_letters():
            if letters in lowered:
                counts[lang] = counts.get(lang, 0) + 1
    if not counts:
        return ""
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return ""
    return ranked[0][0]


def _listed(
    playlists: Sequence[Sequence[int]],
    lead: np.ndarray,
    known: np.ndarray,
    size: int,
    n_places: int,
) -> np.ndarray:
    """(artists, places): column 0 counts each artist's playlist tracks, column s those in
    playlists of scene s (see :data:`PLAYLIST_SHARE`)."""
    listed = np.zeros((size, n_places), dtype=np.int64)
    for members in playlists:
        artists_in = lead[np.asarray(sorted(set(members)), dtype=np.int64)]
        artists_in = artists_in[artists_in >= 0]
        if len(artists_in) == 0:
            continue
        np.add.at(listed[:, 0], artists_in, 1)
        seen = np.bincount(known[artists_in], minlength=n_places)
        seen[0] = 0
        scene = int(np.argmax(seen))
        if (
            seen[scene] >= PLAYLIST_MIN
            and seen[scene] >= PLAYLIST_SHARE * len(artists_in)
            and seen[scene] >= PLAYLIST_AGREE * int(seen.sum())
        ):
            np.add.at(listed[:, scene], artists_in, 1)
    return listed


def artist_idx_of(artist_ptr: np.ndarray, credit_artist: np.ndarray) -> np.ndarray:
    """Each track's first credited artist (tracks without one read credit 0; callers mask them)."""
    if len(credit_artist) == 0:
        return np.zeros(len(artist_ptr) - 1, dtype=np.int64)
    return credit_artist[np.minimum(artist_ptr[:-1], len(credit_artist) - 1)]


# ------------------------------------------------------------------ at prompt time


def _bits(catalog: Tracks, name: str, labels: Iterable[str]) -> np.ndarray:
    """Tracks with any of ``labels`` set in the bitset ``name`` (``core_bits``, ``style_bits``,
    ``artist_bits``); a catalog without the map: the labels. Read-only: a whole catalog keeps
    the mask (``Catalog.masks``) for the next request asking the same styles."""
    column = getattr(catalog, name)
    if column is None:
        return catalog.genre_mask(labels)
    ids = tuple(sorted({i for label in labels if (i := catalog.genre_index(label)) is not None}))
    masks: MaskCache | None = getattr(catalog, "masks", None)  # a CatalogRows subset has none
    if masks is None:
        return bits_mask(column, ids)
    return masks.get((name, ids), lambda: bits_mask(column, ids))


def native(catalog: Tracks, language: str | None, labels: Iterable[str]) -> np.ndarray:
    """Tracks of no scene, of the listener's own, or of a scene a wanted label names (k-pop)."""
    wanted = {language or "en", *(local_labels().get(label, "") for label in labels)}
    codes = [i for i, code in enumerate(catalog.places) if code and code in wanted]
    place = catalog.place
    if place is None:
        return np.ones(len(catalog), dtype=bool)
    mask = place == 0
    for i in codes:
        mask |= place == i
    return mask


def style_core(
    catalog: Tracks,
    genres: Sequence[str],
    language: str | None,
    enough: int,
    windows: Sequence[np.ndarray] = (),
) -> np.ndarray:
    """The tracks a listener means by ``genres``: the styles' cores in their own or no scene,
    widened step by step (all of the labels in those scenes, then anywhere) while thinner than
    ``enough``.

    ``windows``: the request's own numbers (tempo range, popularity floor, feature targets),
    strictest first. The core must be enough inside them: a core deep in general but thin at
    100 BPM widens to the style's labels in the listener's scene before the playlist gives up
    the tempo. Only when no home tier holds enough inside any window does the plain count
    decide (a place's other music never fills in for a number)."""
    labels = aliases(genres)
    playable = catalog.playable()
    home = native(catalog, language, labels)
    core = _bits(catalog, "core_bits", labels)
    every = catalog.genre_mask(labels)
    # the labels as asked come first: other files' labels widen the net, they do not move it
    asked = catalog.genre_mask(genres)
    tiers = [core & home & asked, core & home, every & home & asked, every & home, core]
    # inside the numbers, the labels as asked widen first ("hip-hop" before "rap"), and never
    # beyond the listener's scene
    labelled = [core & home & asked, every & home & asked, core & home, every & home]
    # the other file's own labels ("rap", "gangster rap") vouch for a skewed style as the world
    # hears it: artists the 114k file alone calls "hip-hop" are mostly a local scene's
    vouched = vouched_by_other_file(catalog, genres)
    if vouched is not None:
        tiers.insert(0, tiers[0] & vouched)
        tiers.insert(1, every & home & asked & vouched)
        labelled[:0] = [tiers[0], tiers[1]]
    for mask in labelled:
        if any(_deep_enough(catalog, mask & playable & window, enough) for window in windows):
            return mask
    for mask in tiers:
        if _deep_enough(catalog, mask & playable, enough):
            return mask
    return every


def _deep_enough(catalog: Tracks, mask: np.ndarray, enough: int) -> bool:
    """Enough tracks, by enough artists for the variety rules (two per artist) to fill a set."""
    if int(np.count_nonzero(mask)) < enough:
        return False
    # distinct artists as the sorted ids' steps: np.unique costs ~25 us even on a few hundred
    artists = np.sort(catalog.artist_id[mask])
    return 1 + int(np.count_nonzero(artists[1:] != artists[:-1])) >= enough // 3


def vouched_by_other_file(catalog: Tracks, genres: Sequence[str]) -> np.ndarray | None:
    """For a skewed style ("hip-hop"), the tracks whose artist the other file's international
    playlists file under the same style ("rap", "gangster rap"): the style as the world hears
    it ("funk" as Stevie Wonder, not the funk carioca that fills the 114k file's slice). None
    when no style asked is skewed."""
    skewed, heard = catalog.skewed, catalog.artist_bits
    if skewed is None or heard is None:
        return None
    if not any((g := catalog.genre_index(x)) is not None and skewed[g] for x in genres):
        return None
    others = [x for x in aliases(genres) if x in _other_file_labels()]
    if others:
        return _bits(catalog, "artist_bits", others)
    # a style only the 114k file knows: artists heard in more than this one style's slice
    # (Stevie Wonder is "funk" and "soul"; a funk carioca MC is "funk" alone)
    return catalog.versatile


@lru_cache(maxsize=1)
def _other_file_labels() -> frozenset[str]:
    """Labels only the other (TidyTuesday) file uses."""
    return frozenset(x for xs in _COMMON.other_labels.values() for x in xs) - set(_COMMON.genres)


def scene_match(catalog: Tracks, genres: Sequence[str], scenes: Sequence[str]) -> np.ndarray:
    """Tracks that are both the style and from the scene: the scene's tracks by an artist of the
    style's core, or, by artists no style claims, (speech and sound) close to the style's core.
    Read-only; kept in the catalog's (or kept subset's) ``masks``: one prompt asks twice
    (counting, then scoring), and later prompts ask the same scene again."""
    masks: MaskCache | None = getattr(catalog, "masks", None)
    if masks is None:
        both = _scene_match(catalog, genres, scenes)
        both.flags.writeable = False
        return both
    key = ("scene", tuple(genres), tuple(scenes))
    return masks.get(key, lambda: _scene_match(catalog, genres, scenes))


def _scene_match(catalog: Tracks, genres: Sequence[str], scenes: Sequence[str]) -> np.ndarray:
    labels = aliases(genres)
    place = catalog.place
    here = np.zeros(len(catalog), dtype=bool)
    if place is None:
        return here
    codes = scene_places(catalog.places, scenes)
    for i in codes:
        here |= place == i
    if not here.any():
        return here
    both = here & _bits(catalog, "core_bits", labels)
    by_artist = _by_core_artist(catalog, labels)
    both |= here & by_artist
    # by sound only tracks no style label files and of artists no style claims: an EDM act
    # filed under "turkish" is not Turkish rock however loud it is
    unfiled = catalog.unfiled if catalog.unfiled is not None else np.zeros(len(here), bool)
    # a subset holding only the scene's tracks that can count knows the whole scene's sound
    sound = (getattr(catalog, "scene_sounds", None) or {}).get(codes)
    both |= _sounds_like(catalog, labels, here, here & (unfiled | by_artist), sound)
    return both


def scene_places(places: Sequence[str], scenes: Sequence[str]) -> tuple[int, ...]:
    """The place codes (indices into a catalog's ``places``) of ``scenes``."""
    codes = {c for s in scenes if (c := scene_language(s))}
    return tuple(i for i, lang in enumerate(places) if lang and lang in codes)


@lru_cache(maxsize=1)
def _not_styles() -> frozenset[str]:
    """Labels that name a place or a mood rather than a style."""
    return frozenset({*_COMMON.regional, *_COMMON.mood_genres})


def _by_core_artist(catalog: Tracks, labels: list[str]) -> np.ndarray:
    return _bits(catalog, "style_bits", labels)


# A scene track counts by sound when it sits as close to the style's centre as this share of
# the style's own core does (and much closer to the style than to its scene's usual sound).
SOUND_QUANTILE = 0.25
# Features a style's sound is told by; tempo and popularity say little about a style.
_SOUND = ("energy", "danceability", "acousticness", "instrumentalness", "speechiness", "valence")


def scene_sound(features: Mapping[str, np.ndarray], rows: np.ndarray) -> np.ndarray:
    """A scene's usual sound: the median of each :data:`_SOUND` feature over its tracks ``rows``."""
    return _medians(np.stack([features[name][rows] for name in _SOUND]))


def _medians(columns: np.ndarray) -> np.ndarray:
    """Each row's median (float32): one call over the stacked features, not one per feature."""
    return np.median(columns, axis=1).astype(np.float32)


def _sounds_like(
    catalog: Tracks,
    labels: list[str],
    here: np.ndarray,
    asked: np.ndarray,
    sound: np.ndarray | None = None,
) -> np.ndarray:
    """Of the scene tracks ``asked`` (within ``here``, the scene), those that sound like the
    style's core (see :data:`SOUND_QUANTILE`); only they are measured, the scene's usual
    sound is all of its tracks' (``sound``: given where ``here`` holds only some of them)."""
    core = np.flatnonzero(_bits(catalog, "core_bits", labels) & catalog.playable())
    rows = np.flatnonzero(here)
    out = np.zeros(len(here), dtype=bool)
    if len(core) < 20 or len(rows) == 0:
        return out
    sample = core[:: max(1, len(core) // 500)]
    f = catalog.features
    by_feature = np.stack([f[name][sample] for name in _SOUND])  # one row per feature
    centre = _medians(by_feature)
    scale = np.maximum(np.std(by_feature, axis=1), np.float32(0.05)).astype(np.float32)

    scene = scene_sound(f, rows) if sound is None else sound
    # the features that tell the style from the scene's usual sound weigh most (speech for rap)
    weight = ((centre - scene) / scale) ** 2

    def values(at: np.ndarray) -> np.ndarray:
        return np.stack([f[name][at] for name in _SOUND], axis=1)  # one row per track

    def distance(tracks: np.ndarray, to: np.ndarray) -> np.ndarray:
        return np.sqrt((weight * ((tracks - to) / scale) ** 2).sum(axis=1))

    limit = float(np.quantile(distance(values(sample), centre), SOUND_QUANTILE))
    rows = np.flatnonzero(asked)
    tracks = values(rows)
    near = distance(tracks, centre)
    close = near <= limit  # only these are measured against the scene's sound too
    rows, near = rows[close], near[close]
    out[rows[near < 0.5 * distance(tracks[close], scene)]] = True
    return out


def excluded_styles(catalog: Tracks, genres: Sequence[str]) -> np.ndarray:
    """Tracks "no grunge" rules out: the labels, and every track by an artist of their core."""
    labels = aliases(genres)
    # a style's artists too; another file's label ("trap") rules out only its own tracks: its
    # family is a whole style's
    styles = [g for g in labels if g in _COMMON.genres]
    return catalog.genre_mask(labels) | _by_core_artist(catalog, styles)


def with_scenes(
    catalog: Tracks,
    intent: Intent,
    need: int,
    scene_rows: Callable[[list[str], list[str]], Tracks] | None = None,
) -> Intent:
    """The intent as the map reads it: a regional label next to a style is a scene to intersect
    with ("Swedish metal": genres [metal], scenes [swedish]), an excluded sub-style leaves the
    wanted list ("metal but no metalcore"), and a combination the catalog holds fewer than
    ``need`` tracks of is said in the notices.

    ``scene_rows(genres, scenes)``: rows holding every track of the styles' labels and of the
    scenes (a large catalog's few percent), where the combination is counted as in the whole."""
    from aidj.genres import REGIONAL

    excluded = set(intent.exclude_genres)
    genres = [g for g in intent.genres if g not in excluded]
    exclude = list(intent.exclude_genres)
    if not genres:
        # "hip hop but no trap": trap reads as hip-hop too; the style stays, the sub-style's
        # own label goes
        genres = list(intent.genres)
        exclude = [g for g in exclude if g not in set(genres)]
    # a regional label with no scene to intersect ("british": the map places no English scene)
    # stays a label, and a style no file labels ("britpop" from a model) is no style to intersect
    placed = {g for g in genres if g in REGIONAL and scene_language(g)}
    styles = [
        g
        for g in genres
        if g not in placed and (g in _KNOWN_LABELS or catalog.genre_index(g) is not None)
    ]
    scenes = list(intent.scenes)
    groups = intent.genre_groups
    # (a seed artist's borrowed labels describe the artist, not a place asked for)
    if styles and placed and not intent.seed_artists:
        scenes += [g for g in genres if g in placed]
        genres = styles
        groups = [[g for g in group if g not in placed] for group in groups]
        groups = [group for group in groups if group]
    scenes = [s for s in dict.fromkeys(scenes) if scene_language(s)]
    unmet = list(intent.unmet)
    if scenes and genres:
        rows = catalog if scene_rows is None else scene_rows(genres, scenes)
        found = int(np.count_nonzero(scene_match(rows, genres, scenes) & rows.playable()))
        if found < need:
            lang = scene_language(scenes[0]) or scenes[0]
            unmet.append(code("scene_thin", lang, found) if found else code("scene_none", lang))
    if (genres, scenes, groups, unmet, exclude) == (
        intent.genres,
        intent.scenes,
        intent.genre_groups,
        intent.unmet,
        intent.exclude_genres,
    ):
        return intent
    return intent.replace(
        genres=genres, scenes=scenes, genre_groups=groups, unmet=unmet, exclude_genres=exclude
    )
