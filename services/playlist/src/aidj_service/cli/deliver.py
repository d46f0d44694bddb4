"""``aidj deliver PLAYLIST_ID --to PLATFORM``: a stored playlist to another platform, from the terminal.

It is the HTTP route (``POST /playlists/{id}/deliver``) over the local history, so matching,
the created-once rule and the errors are the server's. Sign-ins come from the environment, not
from arguments, so they stay out of the shell's history and the process list.
"""

from __future__ import annotations

import argparse
import json
import os

from aidj_service.cli.living import call
from aidj_service.cli.usage import UsageError

# platform -> (request field, environment variable holding the listener's sign-in)
SIGN_INS = {
    "spotify": ("spotify_access_token", "SPOTIFY_ACCESS_TOKEN"),
    "apple_music": ("music_user_token", "AIDJ_APPLE_MUSIC_USER_TOKEN"),
    "youtube_music": ("google_access_token", "GOOGLE_ACCESS_TOKEN"),
}


def request_body(platform: str, version: int | None, env: dict[str, str]) -> dict:
    """The route's body for ``platform``, the sign-in read from ``env``."""
    body: dict = {"platform": platform}
    if version is not None:
        body["version"] = version
    if platform in SIGN_INS:
        field, variable = SIGN_INS[platform]
        token = (env.get(variable) or "").strip()
        if not token:
            raise UsageError(
                f"delivering to {platform} needs your sign-in: set {variable} "
                "(see docs/INTEGRATIONS.md for how to get one)"
            )
        body[field] = token
    return body


def summary(answer: dict) -> str:
    total = answer["matched"] + len(answer["unmatched"])
    lines = [
        f"{answer['matched']} of {total} tracks delivered to {answer['platform']}"
        + (f": {answer['url']}" if answer.get("url") else " (nothing was created)")
    ]
    lines += [
        f"  left out: {u['name']} - {', '.join(u['artists'])}: {u['why']}"
        for u in answer["unmatched"]
    ]
    if answer.get("usage"):
        lines.append("  cost: " + ", ".join(f"{k} {v}" for k, v in answer["usage"].items()))
    return "\n".join(lines)


def cmd_deliver(args: argparse.Namespace) -> int:
    body = request_body(args.to, args.version, dict(os.environ))
    answer = call(args.catalog, "POST", f"/playlists/{args.playlist_id}/deliver", body)
    print(
        json.dumps(answer, ensure_ascii=False, indent=2)
        if args.format == "json"
        else summary(answer)
    )
    return 0
