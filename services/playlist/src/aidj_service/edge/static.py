"""The web page's files (``aidj_service/web/``), served without ever leaving that folder."""

from __future__ import annotations

import json
import mimetypes
from functools import lru_cache
from pathlib import Path

from aidj_service.edge.http import NotFound, Response

# the page stays beside the package root, where the web tests and the Lambda zip find it
WEB_DIR = Path(__file__).resolve().parent.parent / "web"
_TEXT_TYPES = (
    "text/",
    "application/javascript",
    "application/json",
    "image/svg+xml",
    "application/xml",
)
_EXTRA_TYPES = {
    ".js": "application/javascript",
    ".mjs": "application/javascript",
    ".svg": "image/svg+xml",
    ".webmanifest": "application/manifest+json",
    ".css": "text/css",
}


# The page's one policy, sent as a header (a <meta> policy cannot carry frame-ancestors). Scripts and styles come
# only from this server; the only other hosts are Spotify's token endpoint (PKCE sign-in) and Spotify's embed
# player, framed on demand to preview a track. Nobody may frame the page itself. A service set up for Apple
# Music adds Apple's MusicKit JS (the only way to get a listener's Music User Token) and the API it calls.
def content_security_policy(
    script_hosts: tuple[str, ...] = (), connect_hosts: tuple[str, ...] = ()
) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            " ".join(("script-src 'self'", *script_hosts)),
            "style-src 'self'",
            "img-src 'self' data:",
            " ".join(("connect-src 'self' https://accounts.spotify.com", *connect_hosts)),
            "frame-src https://open.spotify.com",
            "frame-ancestors 'none'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )


def security_headers(
    script_hosts: tuple[str, ...] = (), connect_hosts: tuple[str, ...] = ()
) -> dict[str, str]:
    return {
        "content-security-policy": content_security_policy(script_hosts, connect_hosts),
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
        "x-frame-options": "DENY",
    }


CONTENT_SECURITY_POLICY = content_security_policy()
SECURITY_HEADERS = security_headers()


def resolve(relative: str, root: Path = WEB_DIR) -> Path | None:
    """The file ``relative`` names inside ``root``, or None for anything outside it, hidden or odd."""
    if not relative or "\\" in relative or "\x00" in relative or len(relative) > 200:
        return None
    parts = relative.split("/")
    if any(not part or part.startswith(".") for part in parts):
        return None  # empty segments, "..", dotfiles
    candidate = (root / Path(*parts)).resolve()
    try:
        candidate.relative_to(root.resolve())
    except ValueError:
        return None  # a symlink pointing out of the folder
    return candidate if candidate.is_file() else None


def content_type(path: Path) -> str:
    ctype = (
        _EXTRA_TYPES.get(path.suffix.lower())
        or mimetypes.guess_type(path.name)[0]
        or "application/octet-stream"
    )
    if ctype.startswith(_TEXT_TYPES) and "charset" not in ctype:
        ctype += "; charset=utf-8"
    return ctype


@lru_cache(maxsize=64)
def _read(path: Path, mtime_ns: int) -> bytes:
    return path.read_bytes()


@lru_cache(maxsize=1)
def _words() -> bytes:
    """The words a track count is said with ("25 songs", "20 canciones"), from the language
    packs (folded), so the page keeps the count in a playlist's name true after edits."""
    from aidj.languages import language_packs

    words = language_packs().merged.numbers.song_words
    return json.dumps({"count_words": words}, ensure_ascii=False).encode()


# Files of the page made from the core's data rather than kept in the folder.
GENERATED = {"words.json": _words}


def serve_file(
    relative: str, root: Path = WEB_DIR, headers: dict[str, str] = SECURITY_HEADERS
) -> Response:
    if relative in GENERATED:
        return Response(
            200,
            GENERATED[relative](),
            {
                "content-type": "application/json; charset=utf-8",
                "cache-control": "public, max-age=300",
                **headers,
            },
        )
    path = resolve(relative, root)
    if path is None:
        raise NotFound(f"no file {relative!r} in the web page's folder", code="static_not_found")
    body = _read(path, path.stat().st_mtime_ns)
    cache = "no-cache" if path.suffix == ".html" else "public, max-age=300"
    return Response(
        200, body, {"content-type": content_type(path), "cache-control": cache, **headers}
    )


def is_text(ctype: str) -> bool:
    return ctype.split(";")[0].strip().startswith(_TEXT_TYPES) or "charset=" in ctype
