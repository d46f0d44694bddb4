"""What every operation is handed: the settings, the engine, the store, the caller's identity.

Built once per process by :class:`aidj_service.edge.api.Api` (the catalog, the interpreters and
the history store are loaded at start-up, never per request).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from aidj_service.config import Settings
from aidj_service.edge.ratelimit import RateLimiter
from aidj_service.identity import Identity
from aidj_service.stores.backends import INTERPRETERS, PromptReader
from aidj_service.stores.history import HistoryStore

if TYPE_CHECKING:
    from aidj.catalog import Catalog
    from aidj.intent import Intent
    from aidj.interpreter import Interpretation, Interpreter
    from aidj.playlist import Playlist


class Engine(Protocol):
    """What the service needs of ``aidj.dj.DJ``: the catalog, the local interpreter, the builder."""

    @property
    def catalog(self) -> Catalog: ...

    @property
    def interpreter(self) -> Interpreter: ...

    def build(self, intent: Intent, exclude_ids: Iterable[str] = ()) -> Playlist: ...


class Interpreters:
    """The interpreter backends by name, each built on first use, once per process."""

    def __init__(
        self, settings: Settings, dj: Engine, ready: dict[str, PromptReader] | None = None
    ) -> None:
        self.settings = settings
        self.dj = dj
        self._built: dict[str, PromptReader] = dict(ready or {})  # a test may hand some in
        self._lock = threading.Lock()

    def get(self, name: str) -> PromptReader:
        """The interpreter registered as ``name`` (request models admit only registered names)."""
        built = self._built.get(name)
        if built is None:
            with self._lock:
                built = self._built.get(name)
                if built is None:
                    # the embedded interpreter is every backend's fallback
                    built = INTERPRETERS[name].open(self.settings, self.dj.interpreter)
                    self._built[name] = built
        return built

    def interpret(self, name: str, prompt: str, base: Intent | None) -> Interpretation:
        return self.get(name).interpret_detailed(prompt, base)


@dataclass(frozen=True, slots=True)
class Context:
    settings: Settings
    dj: Engine
    store: HistoryStore
    identity: Identity
    limiter: RateLimiter
    interpreters: Interpreters
