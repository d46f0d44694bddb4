"""The one contract every prompt interpreter (local, Bedrock, ...) fulfils."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from aidj.intent import Intent


@runtime_checkable
class Interpreter(Protocol):
    """Turns a sentence into an :class:`Intent`.

    ``refine`` adjusts an earlier intent with a follow-up sentence ("more upbeat",
    "no rap", "shorter") instead of starting over.
    Implementations never raise on odd prompts: nonsense gets a sensible default intent.
    """

    name: str

    def interpret(self, prompt: str) -> Intent: ...

    def refine(self, prompt: str, base: Intent) -> Intent: ...


class Interpretation:
    """An intent plus how it was obtained, for responses and logs."""

    __slots__ = ("cached", "fallback_reason", "intent", "interpreter")

    def __init__(
        self,
        intent: Intent,
        interpreter: str,
        fallback_reason: str | None = None,
        cached: bool = False,
    ) -> None:
        self.intent = intent
        self.interpreter = interpreter
        self.fallback_reason = fallback_reason
        self.cached = cached

    def __repr__(self) -> str:
        return (
            f"Interpretation(interpreter={self.interpreter!r}, "
            f"fallback_reason={self.fallback_reason!r}, cached={self.cached})"
        )
