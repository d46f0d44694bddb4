"""A registry of named things, in registration order: name -> the thing registered under it.

The history stores, interpreters (``stores.backends``) and delivery platforms
(``delivery.registry``) each keep one. Each kind words its own "no such name" error (it names
the setting or field that chose it) by overriding :meth:`NamedRegistry.unknown`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, Protocol, TypeVar


class Named(Protocol):
    @property
    def name(self) -> str: ...


_T = TypeVar("_T", bound=Named)


class NamedRegistry(Generic[_T]):
    """Things of one ``kind`` by name; registering a name twice is a programming error."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._entries: dict[str, _T] = {}

    def register(self, entry: _T) -> _T:
        if entry.name in self._entries:
            raise ValueError(f"a {self.kind} named {entry.name!r} is already registered")
        self._entries[entry.name] = entry
        return entry

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._entries)

    @property
    def choices(self) -> str:
        """The names as a sentence ends: "sqlite or dynamodb"."""
        *rest, last = self.names
        return f"{', '.join(rest)} or {last}" if rest else last

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __getitem__(self, name: str) -> _T:
        try:
            return self._entries[name]
        except KeyError:
            raise KeyError(self.unknown(name)) from None

    def __iter__(self) -> Iterator[_T]:
        """The registered things, in registration order."""
        return iter(tuple(self._entries.values()))

    def unknown(self, name: str) -> str:
        """The error for a name nothing is registered under, saying what to use instead."""
        return f"no {self.kind} named {name!r}: use {self.choices}"
