"""Language packs: the interpreter's words, one folder per language (see README.md here)."""

from aidj.languages.packs import LanguagePacks, PackError, language_packs

__all__ = ["LanguagePacks", "PackError", "language_packs"]
