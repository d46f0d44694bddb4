"""The same profile and prompt give the same playlist in every process, whatever the hash seed."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import CATALOG_114K, REPO

SCRIPT = """
import json, sys
from aidj.dj import DJ
from aidj.engine import build_playlist
from aidj.taste.asks import intent_for, read_ask
from aidj.taste.build import build
from aidj.taste.signals import excluded, from_top_artists, steering
from aidj.taste.steer import Taste
dj = DJ.load(sys.argv[1], use_embeddings=False)
signals = from_top_artists([{"name": n} for n in ["Portishead", "Massive Attack", "Tricky"]], "short_term")
signals += steering(more=[{"artist": "Air"}], never=[{"genre": "country"}]) + excluded(["Bonobo"])
profile = build(signals, dj.catalog)
out = {"profile": profile.to_dict()}
for prompt in ["trip hop for a late night", "new to me", "chill music for a rainy evening"]:
    reading = read_ask(prompt)
    intent = intent_for(reading, dj.interpret)
    out[prompt] = [t.id for t in build_playlist(dj.catalog, intent, taste=Taste(profile, ask=reading.ask)).tracks]
print(json.dumps(out, sort_keys=True))
"""


def run(seed: str) -> dict:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(CATALOG_114K)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=300,
        check=True,
    )
    return json.loads(done.stdout)


def test_two_hash_seeds_give_the_same_profile_and_playlists(catalog_path):
    first, second = run("1"), run("2")
    assert first == second
    assert all(first[p] for p in first if p != "profile")
