"""The allocator keeps a build's freed temporaries for the next build (glibc processes)."""

from __future__ import annotations

import sys

import pytest

from aidj.allocator import keep_freed_temporaries


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt only")
def test_the_thresholds_are_set_on_glibc():
    assert keep_freed_temporaries() is True


def test_setting_them_twice_is_harmless():
    assert keep_freed_temporaries() == keep_freed_temporaries()
