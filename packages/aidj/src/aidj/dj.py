"""The DJ: a loaded catalog plus the local interpreter, ready to answer prompts.

One per process. Both adapters (CLI, HTTP/Lambda) build it once at start-up and reuse it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

from aidj.allocator import keep_freed_temporaries
from aidj.catalog import Catalog, load_catalog
from aidj.engine import build_playlist
from aidj.intent import Intent
from aidj.learning import learning_songs
from aidj.local_interpreter import LocalInterpreter
from aidj.playlist import Playlist
from aidj.progress import ProgressCallback, ignore_progress
from aidj.seasons import out_of_season
from aidj.taste.steer import Taste


@dataclass(slots=True)
class DJ:
    catalog: Catalog
    interpreter: LocalInterpreter

    @classmethod
    def load(
        cls,
        catalog_path: str | os.PathLike[str] | None = None,
        cache_dir: str | os.PathLike[str] | None = None,
        use_embeddings: bool = True,
        progress: ProgressCallback = ignore_progress,
    ) -> DJ:
        catalog = load_catalog(catalog_path, cache_dir=cache_dir, progress=progress)
        return cls(
            catalog,
            LocalInterpreter(
                artist_resolver=artist_resolver(catalog), use_embeddings=use_embeddings
            ),
        )

    def warm(self) -> None:
        """Do now what the first prompts would otherwise pay for (a server calls this at start):
        the embedding model, the catalog's artist-name lookup ("no Beyoncé": ~40 ms to build)
        and the seasonal and learning-song marks every build reads; and the allocator set to
        keep a build's freed temporaries for the next (see aidj.allocator)."""
        keep_freed_temporaries()
        self.interpreter.warm()
        self.catalog.artist_ids_matching("")
        out_of_season(self.catalog, ())
        learning_songs(self.catalog)

    def interpret(self, prompt: str, base: Intent | None = None) -> Intent:
        return (
            self.interpreter.refine(prompt, base)
            if base is not None
            else self.interpreter.interpret(prompt)
        )

    def build(
        self, intent: Intent, exclude_ids: Iterable[str] = (), *, taste: Taste | None = None
    ) -> Playlist:
        return build_playlist(self.catalog, intent, exclude_ids=exclude_ids, taste=taste)

    def playlist(
        self, prompt: str, limit: int | None = None, base: Intent | None = None
    ) -> Playlist:
        intent = self.interpret(prompt, base)
        if limit is not None:
            intent = intent.replace(**{"limit": limit, "duration_minutes": None})
            intent = Intent.from_dict(intent.to_dict())
        return self.build(intent)


def artist_resolver(catalog: Catalog):
    """Map a name as typed ("beyonce") to the catalog's spelling ("Beyoncé"), or None."""

    def resolve(name: str) -> str | None:
        ids = catalog.artist_ids_matching(name)
        return catalog.artist_names[ids[0]] if ids else None

    return resolve
