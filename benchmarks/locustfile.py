"""Locust users for the AI DJ service: each asks for playlists back to back, prompts from the dev set.

Run through benchmarks/load.py (which starts the server, picks the user counts and records the
results), or by hand against a running server:

    uv run locust -f benchmarks/locustfile.py --headless -u 32 -r 32 --run-time 30s --host http://127.0.0.1:8000
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

from locust import FastHttpUser, constant, task

DEFAULT_PROMPTS = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev_prompts.jsonl"
FALLBACK_PROMPTS = [
    "energetic music for working out",
    "música tranquila para dormir",
    "chill jazz for a rainy sunday",
]


def load_prompts() -> list[str]:
    path = Path(os.environ.get("AIDJ_LOAD_PROMPTS") or DEFAULT_PROMPTS)
    if not path.exists():
        return FALLBACK_PROMPTS
    return [
        json.loads(line)["prompt"]
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


PROMPTS = load_prompts()


class PlaylistUser(FastHttpUser):
    # closed loop: a user sends its next request as soon as the last one is answered, so
    # "N users" means N requests in flight
    wait_time = constant(0)

    def on_start(self) -> None:
        self.rng = random.Random()
        self.user_id = f"load-{id(self):x}"

    @task
    def make_playlist(self) -> None:
        body = {"prompt": self.rng.choice(PROMPTS), "user_id": self.user_id}
        with self.client.post(
            "/playlist", json=body, name="POST /playlist", catch_response=True
        ) as answer:
            if answer.status_code != 200:
                answer.failure(f"HTTP {answer.status_code}: {(answer.text or '')[:200]}")
            elif not (answer.json() or {}).get("tracks"):
                answer.failure("a playlist without tracks")
