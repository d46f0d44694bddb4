"""After a run full of tokens, secrets and failures, no secret appears in any log line.

A real ``aidj serve`` process runs with the key that seals Spotify refresh tokens and AWS keys in
its environment;
requests carry Spotify tokens (good, wrong, expiring) in headers and bodies; Spotify and Bedrock
fail along the way so warning and error paths log too. Everything the process writes to stdout
and stderr is then searched.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import requests
from cryptography.fernet import Fernet

from aidj_service.edge.serve_process import ServeProcess
from tests.support.fake_bedrock import FakeBedrock
from tests.support.fake_spotify import FakeSpotify

TOKEN_KEY = Fernet.generate_key().decode()  # seals stored Spotify refresh tokens (AIDJ_TOKEN_KEY)
AWS_SECRET = "aws-secret-key-" + uuid.uuid4().hex
AWS_SESSION = "aws-session-token-" + uuid.uuid4().hex
USER_TOKEN = "BQ-user-access-token-" + uuid.uuid4().hex
WRONG_TOKEN = "BQ-wrong-token-" + uuid.uuid4().hex
PROMPT_MARKER = "zanzibar" + uuid.uuid4().hex[:8]

pytestmark = pytest.mark.slow


@pytest.fixture
def server(catalog_path: Path, catalog_cache_dir: Path, tmp_path: Path, fake_bedrock: FakeBedrock):
    with FakeSpotify(token=USER_TOKEN) as spotify:
        env = {
            "AIDJ_CATALOG": str(catalog_path),
            "AIDJ_CACHE_DIR": str(catalog_cache_dir),
            "AIDJ_DB_PATH": str(tmp_path / "history.sqlite3"),
            "SPOTIFY_CLIENT_ID": "client-id-is-public",
            "AIDJ_TOKEN_KEY": TOKEN_KEY,
            "SPOTIFY_API_URL": spotify.url,
            "AWS_SECRET_ACCESS_KEY": AWS_SECRET,
            "AWS_SESSION_TOKEN": AWS_SESSION,
            "AIDJ_BEDROCK_ENDPOINT_URL": fake_bedrock.url,
        }
        with ServeProcess(env, tmp_path / "server.log") as running:
            yield running, spotify, fake_bedrock


def test_no_token_or_secret_reaches_the_logs(server) -> None:
    running, spotify, bedrock = server
    url = running.url
    bearer = {"Authorization": f"Bearer {USER_TOKEN}"}
    prompt = f"energetic {PROMPT_MARKER} music for working out"
    statuses = []

    def post(body: dict, headers: dict | None = None) -> None:
        answer = requests.post(
            url + "/playlist", json={"limit": 5, **body}, headers=headers or {}, timeout=60
        )
        statuses.append(answer.status_code)

    post({"prompt": prompt}, bearer)
    spotify.server_error(times=2, status=503, path=r"^/v1/me/playlists$")
    post(
        {"prompt": prompt, "spotify_access_token": USER_TOKEN},
        {"Idempotency-Key": str(uuid.uuid4())},
    )
    post({"prompt": prompt}, {"Authorization": f"Bearer {WRONG_TOKEN}"})
    post({"prompt": prompt, "spotify_access_token": WRONG_TOKEN})
    spotify.fail_adding_items(times=None)
    post({"prompt": prompt}, bearer)
    spotify.faults.clear()
    bedrock.fail("ThrottlingException", status=429, times=2)
    post({"prompt": prompt, "interpreter": "bedrock"}, bearer)
    post({"prompt": prompt, "interpreter": "bedrock"})
    statuses.append(requests.get(url + "/playlists", headers=bearer, timeout=30).status_code)
    statuses.append(
        requests.get(
            url + "/playlists", headers={"Authorization": f"Bearer {WRONG_TOKEN}"}, timeout=30
        ).status_code
    )
    # an unhandled error logs a traceback: it must not carry the request's token either
    answer = requests.post(
        url + "/playlist", data=b"[" * 30_000 + b"]" * 30_000, headers=bearer, timeout=30
    )
    statuses.append(answer.status_code)

    assert {200, 401, 502} <= set(statuses), statuses
    output = running.output()
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) >= len(
        statuses
    )  # one access line per request at least: the scan saw real logs
    for secret in (TOKEN_KEY, AWS_SECRET, AWS_SESSION, USER_TOKEN, WRONG_TOKEN, PROMPT_MARKER):
        leaked = [line for line in lines if secret in line]
        assert leaked == [], (
            f"{secret[:12]}... appears in {len(leaked)} log line(s), e.g. {leaked[0][:300]}"
        )
