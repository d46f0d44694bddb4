from __future__ import annotations

import pytest

from aidj.dj import DJ, artist_resolver
from aidj.local_interpreter import LocalInterpreter


@pytest.fixture(scope="session")
def dj(both_catalogs) -> DJ:
    """The product's default DJ: both shared files, the embedded interpreter."""
    return DJ(both_catalogs, LocalInterpreter(artist_resolver=artist_resolver(both_catalogs)))
