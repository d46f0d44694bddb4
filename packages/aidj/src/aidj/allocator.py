"""The C allocator's thresholds for a process that builds playlists again and again.

A build allocates and frees a few catalog-sized temporaries (scores, priors, masks: ~0.5 MB
each at 116k tracks). glibc returns freed memory at the top of the heap to the system once more
than a threshold is free there, and serves large requests with fresh ``mmap``s; both thresholds
adapt to what the process happened to free before. Depending on that history, every build can
take ~600 page faults to touch its temporaries again (~0.6 ms of a 2.5 ms genre-free prompt at
116k tracks, measured). Fixed thresholds keep the freed temporaries for the next build.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

# glibc's mallopt parameters (malloc.h)
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
# Requests above this still get their own mapping (a 10M-track catalog's 40 MB columns).
MMAP_THRESHOLD = 16 << 20
# Free memory kept at the heap's top for the next build, at most.
TRIM_THRESHOLD = 32 << 20


def keep_freed_temporaries() -> bool:
    """Fix the thresholds (glibc only; elsewhere nothing happens). True when they were set."""
    if not sys.platform.startswith("linux"):
        return False
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # musl and others have no mallopt
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
        mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    )
