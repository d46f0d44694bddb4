"""AI DJ core: turn a sentence into a well-ordered playlist.

Pure domain code: no AWS, no HTTP. Adapters live in the service package.
"""

from aidj.intent import EnergyArc, Intent

__all__ = ["EnergyArc", "Intent"]
__version__ = "0.1.0"
