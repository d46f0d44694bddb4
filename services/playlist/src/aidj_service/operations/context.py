"""What every operation is handed: the settings, the engine, the store, the caller's identity.

Built once per process by :class:`aidj_service.edge.api.Api` (the catalog, the interpreters and
the history store are loaded at start-up, never per request).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from aidj_service.clients.bedrock_models import BACKEND, UnknownModel, is_choice
from aidj_service.config import Settings
from aidj_service.edge.http import UnprocessableEntity
from aidj_service.edge.ratelimit import RateLimiter
from aidj_service.identity import Identity
from aidj_service.stores.backends import INTERPRETERS, PromptReader
from aidj_service.stores.history import HistoryStore
from aidj_service.stores.taste import TasteStore

if TYPE_CHECKING:
    from aidj.catalog import Catalog
    from aidj.intent import Intent
    from aidj.interpreter import Interpretation, Interpreter
    from aidj.playlist import Playlist
    from aidj.taste.steer import Taste


class Engine(Protocol):
    """What the service needs of ``aidj.dj.DJ``: the catalog, the local interpreter, the builder."""

    @property
    def catalog(self) -> Catalog: ...

    @property
    def interpreter(self) -> Interpreter: ...

    def build(
        self, intent: Intent, exclude_ids: Iterable[str] = (), *, taste: Taste | None = None
    ) -> Playlist: ...


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
        """The interpreter registered as ``name``, or the offered Bedrock model ``bedrock:<model>``
        (request models admit only those shapes; an unoffered model is a 422 naming the offer)."""
        built = self._built.get(name)
        if built is None:
            settings = self.settings
            if is_choice(name):
                try:
                    model_id = settings.model_choices.model_id(name)
                except UnknownModel as exc:
                    raise UnprocessableEntity(str(exc), code="unknown_model") from None
                # the same Bedrock backend, asking the chosen model
                settings, backend = replace(settings, bedrock_model_id=model_id), BACKEND
            else:
                backend = name
            with self._lock:
                built = self._built.get(name)
                if built is None:
                    # the embedded interpreter is every backend's fallback
                    built = INTERPRETERS[backend].open(settings, self.dj.interpreter)
                    self._built[name] = built
        return built

    def model_of(self, name: str) -> str | None:
        """The Bedrock model behind interpreter ``name``; None for one that is not Bedrock."""
        return getattr(self.get(name), "model_id", None)

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
    taste: TasteStore  # one profile per user, beside the history (aidj_service.stores.taste)
