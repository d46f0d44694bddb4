"""The catalog artifact: a compiled catalog with a manifest, packed and unpacked byte-exactly."""

from __future__ import annotations

import io
import json
import re
import tarfile
from pathlib import Path

import numpy as np
import pytest

from aidj.catalog import CACHE_FORMAT, CatalogError, load_catalog, text_mask_file
from aidj.catalog_artifact import (
    ARTIFACT_FORMAT,
    Manifest,
    build_artifact,
    file_digest,
    pack,
    read_manifest,
    unpack,
    unpack_ranges,
)
from aidj.learning import learning_songs
from aidj.progress import COMPILE_STAGES, ProgressEvent
from aidj.seasons import out_of_season

# every 40th row of the real 114k file: all of its genres, compiled in well under a second
EVERY = 40


@pytest.fixture(scope="module")
def sample_csv(catalog_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    lines = catalog_path.read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path_factory.mktemp("csv") / "sample.csv"
    path.write_text(lines[0] + "".join(lines[1::EVERY]), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def artifact(sample_csv: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("artifact") / "catalog"
    build_artifact([sample_csv], out)
    return out


def test_the_manifest_names_content_rows_formats_and_sources(artifact, sample_csv):
    manifest = read_manifest(artifact)
    assert manifest.format_version == ARTIFACT_FORMAT and manifest.cache_format == CACHE_FORMAT
    assert manifest.tracks == len(load_catalog(artifact)) > 2000
    assert [(s.name, s.sha256) for s in manifest.sources] == [
        (sample_csv.name, file_digest(sample_csv).sha256)
    ]
    assert {f.name for f in manifest.files} == {
        p.name for p in artifact.iterdir() if p.name != "manifest.json"
    }
    assert manifest.bytes == sum(f.bytes for f in manifest.files)
    assert len(manifest.digest) == 64


def test_two_builds_of_the_same_csv_have_one_digest(artifact, sample_csv, tmp_path):
    again = build_artifact([sample_csv], tmp_path / "again")
    assert again.digest == read_manifest(artifact).digest


def test_a_different_csv_has_another_digest(artifact, sample_csv, tmp_path):
    lines = sample_csv.read_text(encoding="utf-8").splitlines(keepends=True)
    fewer = tmp_path / "fewer.csv"
    fewer.write_text("".join(lines[:-1]), encoding="utf-8")
    assert build_artifact([fewer], tmp_path / "fewer").digest != read_manifest(artifact).digest


def test_an_artifact_loads_memory_mapped_with_the_same_columns(artifact, sample_csv, tmp_path):
    mapped = load_catalog(artifact)
    compiled = load_catalog([sample_csv], cache_dir=tmp_path)
    assert not mapped.features["tempo"].flags.owndata  # a view of the mapped file
    assert np.array_equal(mapped.features["tempo"], compiled.features["tempo"])
    assert list(mapped.ids[:50]) == list(compiled.ids[:50])


def test_packing_is_deterministic_and_unpacking_restores_every_file(artifact, tmp_path):
    first, second = pack(artifact, tmp_path / "a.tar"), pack(artifact, tmp_path / "b.tar")
    assert first.read_bytes() == second.read_bytes()
    with first.open("rb") as stream:
        manifest = unpack(stream, tmp_path / "out", expected_digest=read_manifest(artifact).digest)
    for f in manifest.files:
        assert (tmp_path / "out" / f.name).read_bytes() == (artifact / f.name).read_bytes()


def test_unpacking_refuses_a_digest_other_than_the_promised_one(artifact, tmp_path):
    packed = pack(artifact, tmp_path / "a.tar")
    with packed.open("rb") as stream, pytest.raises(CatalogError, match="digest"):
        unpack(stream, tmp_path / "out", expected_digest="0" * 64)
    assert not (tmp_path / "out").exists()


def test_unpacking_refuses_a_corrupted_column(artifact, tmp_path):
    path = pack(artifact, tmp_path / "a.tar")
    with tarfile.open(path) as tar:
        last = tar.getmembers()[-1]
    packed = bytearray(path.read_bytes())
    packed[last.offset_data + last.size // 2] ^= 0xFF  # inside the last column's data
    with pytest.raises(CatalogError, match="does not match the manifest"):
        unpack(io.BytesIO(bytes(packed)), tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_unpacking_refuses_an_entry_with_a_path(tmp_path):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        info = tarfile.TarInfo("../escape.npy")
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    buffer.seek(0)
    with pytest.raises(CatalogError, match="unexpected entry"):
        unpack(buffer, tmp_path / "out")
    assert not (tmp_path / "escape.npy").exists()


def test_a_manifest_from_another_format_says_to_rebuild(artifact, tmp_path):
    manifest = json.loads((artifact / "manifest.json").read_text())
    manifest["cache_format"] = CACHE_FORMAT - 1
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        data = json.dumps(manifest).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    buffer.seek(0)
    with pytest.raises(CatalogError, match="aidj catalog build"):
        unpack(buffer, tmp_path / "out")


def test_building_into_a_folder_that_holds_other_files_is_refused(sample_csv, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(CatalogError, match="not a compiled catalog"):
        build_artifact([sample_csv], tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_the_compile_reports_each_stage_in_order_and_finishes_it(sample_csv, tmp_path):
    events: list[ProgressEvent] = []
    build_artifact([sample_csv], tmp_path / "out", events.append)
    stages = [e.stage for e in events]
    assert [s for i, s in enumerate(stages) if s not in stages[:i]] == list(COMPILE_STAGES)
    for stage in COMPILE_STAGES:
        mine = [e for e in events if e.stage == stage]
        assert mine[-1].finished
        assert [e.done for e in mine] == sorted(e.done for e in mine)  # never goes backwards
    read = [e for e in events if e.stage == "read"]
    assert read[-1].total == sample_csv.stat().st_size


def test_unpacking_refuses_a_stream_cut_short(artifact, tmp_path):
    packed = pack(artifact, tmp_path / "a.tar").read_bytes()
    with pytest.raises(CatalogError, match="cut short"):
        unpack(io.BytesIO(packed[: len(packed) // 2]), tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_an_artifact_carries_the_title_marks_so_loading_reads_no_title(
    artifact, sample_csv, tmp_path, monkeypatch
):
    monkeypatch.setenv("AIDJ_CACHE_DIR", str(tmp_path / "empty"))  # a cold start's /tmp
    mapped = load_catalog(artifact)
    marks = [out_of_season(mapped, ()), learning_songs(mapped)]
    assert not mapped._folded  # answered from the stored files: no title read, nor hashed
    computed = load_catalog([sample_csv], cache_dir=tmp_path / "local")
    again = [out_of_season(computed, ()), learning_songs(computed)]
    assert "names" in computed._folded  # a local cache reads its titles, as before
    for stored, fresh in zip(marks, again, strict=True):
        assert stored is not None and fresh is not None
        assert np.array_equal(stored, fresh) and stored.any()


def test_marks_an_artifact_did_not_store_are_computed_from_the_titles(
    artifact, tmp_path, monkeypatch
):
    monkeypatch.setenv("AIDJ_CACHE_DIR", str(tmp_path / "empty"))
    mapped = load_catalog(artifact)
    other = re.compile(rb"(?<![a-z0-9])(?:love)(?![a-z0-9])")  # other packs' pattern, say
    assert not (artifact / text_mask_file(other, False)).exists()
    mask = mapped.text_mask("other", other, albums=False)
    assert mask.any() and "names" in mapped._folded


class Ranges:
    """Byte ranges of a packed artifact, as S3 serves them; remembers what was asked."""

    def __init__(self, data: bytes) -> None:
        self.data, self.asked = data, []

    def __call__(self, first: int, last: int) -> io.BytesIO:
        self.asked.append((first, last))
        return io.BytesIO(self.data[first : last + 1])


def test_unpacking_by_ranges_several_at_once_restores_every_file(artifact, tmp_path):
    ranges = Ranges(pack(artifact, tmp_path / "a.tar").read_bytes())
    manifest = unpack_ranges(ranges, tmp_path / "out", read_manifest(artifact).digest, 1 << 16, 3)
    assert len(ranges.asked) == 1 + 3  # the manifest, then three runs of files side by side
    for f in manifest.files:
        assert (tmp_path / "out" / f.name).read_bytes() == (artifact / f.name).read_bytes()
    assert read_manifest(tmp_path / "out") == read_manifest(artifact)


def test_unpacking_by_ranges_refuses_a_corrupted_byte(artifact, tmp_path):
    path = pack(artifact, tmp_path / "a.tar")
    with tarfile.open(path) as tar:
        member = tar.getmembers()[len(tar.getmembers()) // 2]
    packed = bytearray(path.read_bytes())
    packed[member.offset_data + member.size // 2] ^= 0x01
    with pytest.raises(CatalogError, match=f"{member.name} does not match the manifest"):
        unpack_ranges(Ranges(bytes(packed)), tmp_path / "out", part_bytes=1 << 16)
    assert not (tmp_path / "out").exists() and not list(tmp_path.glob(".unpacking-*"))


def test_unpacking_by_ranges_refuses_another_digest_before_downloading_a_column(artifact, tmp_path):
    ranges = Ranges(pack(artifact, tmp_path / "a.tar").read_bytes())
    with pytest.raises(CatalogError, match="its key promised"):
        unpack_ranges(ranges, tmp_path / "out", expected_digest="0" * 64)
    assert len(ranges.asked) == 1  # the manifest only
    assert not (tmp_path / "out").exists()


def test_a_manifest_whose_file_digests_were_changed_is_refused(artifact, tmp_path):
    manifest = json.loads((artifact / "manifest.json").read_text())
    manifest["files"][0]["sha256"] = "0" * 64  # its digest (the S3 key) left as it was
    with pytest.raises(CatalogError, match="do not add up to its digest"):
        Manifest.from_json(json.dumps(manifest), "manifest.json")


def test_unpacking_by_ranges_refuses_a_range_cut_short(artifact, tmp_path):
    data = pack(artifact, tmp_path / "a.tar").read_bytes()

    def short(first: int, last: int) -> io.BytesIO:
        return io.BytesIO(data[first : last + 1][: (last - first) // 2 if first else None])

    with pytest.raises(CatalogError, match="cut short"):
        unpack_ranges(short, tmp_path / "out", part_bytes=1 << 16)
    assert not (tmp_path / "out").exists()
