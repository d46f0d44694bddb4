"""``aidj taste``: see, steer and erase a local listener's taste profile.

A call to the HTTP API's own object over the local history (``GET``/``PATCH``/``DELETE
/me/taste``), so the terminal and the page share every rule.
"""

from __future__ import annotations

import argparse
import json

from aidj_service.cli.living import call

STEERS = ("more", "less", "never")


def add_arguments(p: argparse.ArgumentParser) -> None:
    for kind in STEERS:
        p.add_argument(
            f"--{kind}", action="append", default=[], metavar="ARTIST", help=f"{kind} of an artist"
        )
        p.add_argument(
            f"--{kind}-genre",
            action="append",
            default=[],
            metavar="GENRE",
            help=f"{kind} of a genre (a catalog slug: country, trip-hop)",
        )
    switch = p.add_mutually_exclusive_group()
    switch.add_argument("--off", action="store_true", help="playlists ignore your taste")
    switch.add_argument("--on", action="store_true", help="playlists lean to your taste again")
    p.add_argument(
        "--forget", action="store_true", help="erase the profile and every signal behind it"
    )
    p.add_argument("--user", default="local", help="whose taste (default: local)")
    p.add_argument("--language", help="the summary's language (en, es, pt, fr, de, it, nl)")
    p.add_argument("--format", choices=("text", "json"), default="text")


def cmd_taste(args: argparse.Namespace) -> int:
    query = {"user_id": args.user, **({"language": args.language} if args.language else {})}
    if args.forget:
        call(args.catalog, "DELETE", "/me/taste", query={"user_id": args.user}, empty_ok=True)
        print(f"Forgot the taste of {args.user}: the profile and every signal behind it.")
        return 0
    body: dict = {
        kind: [
            *({"artist": a} for a in getattr(args, kind)),
            *({"genre": g} for g in getattr(args, f"{kind}_genre")),
        ]
        for kind in STEERS
    }
    body = {k: v for k, v in body.items() if v}
    if args.off or args.on:
        body["use"] = bool(args.on)
    if body:
        answer = call(args.catalog, "PATCH", "/me/taste", {**body, "user_id": args.user}, query)
    else:
        answer = call(args.catalog, "GET", "/me/taste", query=query)
    if args.format == "json":
        print(json.dumps(answer, ensure_ascii=False, indent=2))
        return 0
    print(answer["summary"])
    for artist in answer["artists"]:
        print(f"  {artist['weight']:+.2f}  {artist['name']}  ({artist['source']})")
    if answer["genres"]:
        print("  genres: " + ", ".join(f"{g['name']} {g['weight']:+.2f}" for g in answer["genres"]))
    never = answer["never"]
    if never["artists"] or never["genres"]:
        print("  never: " + ", ".join([*never["artists"], *never["genres"]]))
    if not answer["use"]:
        print("  (switched off: aidj taste --on)")
    return 0
