"""CPU of one playlist answer: a stored 100-track record -> PlaylistResponse -> JSON bytes.

    uv run python benchmarks/responses.py [--tracks 100] [--rounds 9]

Every answer is validated against its pydantic model and serialised by it (issue 11), so this
is the per-request price of "one set of models"; the engine's build is not in it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from aidj_service.config import Settings
from aidj_service.edge.api import Api
from aidj_service.edge.http import Request, Response
from aidj_service.responses import playlist_response


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tracks", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--per-round", type=int, default=200)
    args = parser.parse_args()

    db = Path(tempfile.mkdtemp(prefix="aidj-bench-")) / "history.sqlite3"
    api = Api(Settings(db_path=str(db)))
    body = {"prompt": "energetic music for working out", "limit": args.tracks}
    created = api.handle(
        Request(
            "POST",
            "/playlist",
            headers={"host": "127.0.0.1", "content-type": "application/json"},
            body=json.dumps(body).encode(),
        )
    )
    record = api.store.get(created.json_body()["playlist_id"])
    assert record is not None, created.body[:300]

    per_answer_us = []
    for _ in range(args.rounds):
        started = time.perf_counter()
        for _ in range(args.per_round):
            Response.of(playlist_response(record))
        per_answer_us.append((time.perf_counter() - started) / args.per_round * 1e6)
    api.close()
    print(
        json.dumps(
            {
                "tracks": len(record.data["tracks"]),
                "answer_bytes": len(created.body),
                "median_us": round(statistics.median(per_answer_us)),
                "min_us": round(min(per_answer_us)),
            }
        )
    )


if __name__ == "__main__":
    main()
