from __future__ import annotations

import pytest

from aidj.dj import DJ, artist_resolver
from aidj.local_interpreter import LocalInterpreter


@pytest.fixture(scope="session")
def interpreter(catalog) -> LocalInterpreter:
    """The embedded interpreter as the product runs it: resolving artist names in the catalog."""
    return LocalInterpreter(artist_resolver=artist_resolver(catalog))


@pytest.fixture(scope="session")
def rules_only() -> LocalInterpreter:
    """The rule layer alone (no embedding model, no catalog): fast and deterministic."""
    return LocalInterpreter(use_embeddings=False)


@pytest.fixture(scope="session")
def dj(catalog, interpreter) -> DJ:
    return DJ(catalog, interpreter)
