"""Usage metrics: an embedded-metric line per request (CloudWatch) and GET /metrics (Prometheus).

Off unless ``AIDJ_METRICS=on``; never a user, a prompt, a playlist id or a token in them.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import pytest
import requests

from aidj_service.edge import lambda_adapter
from aidj_service.edge.metrics import NAMESPACE, STAGES
from aidj_service.logs import ACCESS_LOGGER
from tests.service.conftest import LiveServer, call, gateway_event
from tests.service.test_lambda import Context

PROMPT = {"prompt": "jazz for dinner", "limit": 6, "user_id": "alice@example.com"}
PERSONAL = ("alice@example.com", "jazz for dinner", "anonymous")


def emf_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == ACCESS_LOGGER]
    return [line for line in lines if "_aws" in line]


def metric_names(line: dict[str, Any]) -> set[str]:
    return {m["Name"] for d in line["_aws"]["CloudWatchMetrics"] for m in d["Metrics"]}


def test_metrics_are_off_by_default(api, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger=ACCESS_LOGGER):
        call(api, "POST", "/playlist", PROMPT)
        response = call(api, "GET", "/metrics")
    assert emf_lines(caplog) == []
    assert response.status == 404 and response.json_body()["error"]["code"] == "metrics_off"
    assert "AIDJ_METRICS=on" in response.json_body()["error"]["message"]


def test_the_switch_is_read_from_the_environment() -> None:
    from aidj_service.config import Settings

    assert Settings.from_env({"AIDJ_METRICS": "on"}).metrics is True
    assert Settings.from_env({}).metrics is False


def test_a_created_playlist_is_one_emf_line_with_every_stage(
    make_api, caplog: pytest.LogCaptureFixture
) -> None:
    api = make_api(metrics=True)
    with caplog.at_level(logging.INFO, logger=ACCESS_LOGGER):
        answer = call(api, "POST", "/playlist", PROMPT).json_body()
    (line,) = emf_lines(caplog)
    directives = line["_aws"]["CloudWatchMetrics"]
    assert {d["Namespace"] for d in directives} == {NAMESPACE}
    assert line["PlaylistsCreated"] == 1 and line["Tracks"] == answer["tracks_count"] == 6
    assert line["Interpreter"] == "local" and line["InterpreterUsed"] == 1
    assert {"Requests", "Latency", *STAGES.values()} - {"SpotifyLatency"} <= metric_names(line)
    # every metric a directive names is a number on the line (or CloudWatch drops the line)
    assert all(isinstance(line[name], int | float) for name in metric_names(line))


def test_an_error_is_counted_by_its_code(make_api, caplog: pytest.LogCaptureFixture) -> None:
    api = make_api(metrics=True)
    with caplog.at_level(logging.INFO, logger=ACCESS_LOGGER):
        call(api, "POST", "/playlist", {"prompt": ""})
    (line,) = emf_lines(caplog)
    assert line["ErrorCode"] == "validation_error" and line["Errors"] == 1
    assert "PlaylistsCreated" not in line


def test_no_personal_data_reaches_a_metric(make_api, caplog: pytest.LogCaptureFixture) -> None:
    api = make_api(metrics=True)
    with caplog.at_level(logging.INFO, logger=ACCESS_LOGGER):
        pid = call(api, "POST", "/playlist", PROMPT).json_body()["playlist_id"]
        call(api, "GET", f"/playlists/{pid}")
        call(api, "GET", "/playlists", query={"user_id": "alice@example.com"})
        text = call(api, "GET", "/metrics").body.decode()
    for shown in [json.dumps(line) for line in emf_lines(caplog)] + [text]:
        assert pid not in shown
        assert not any(value in shown for value in PERSONAL)


def test_lambda_writes_the_emf_line_named_after_the_function(
    make_api, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "aidj-dev")
    handler = lambda_adapter.make_handler(lambda: make_api(local_mode=False, metrics=True))
    with caplog.at_level(logging.INFO, logger=ACCESS_LOGGER):
        result = handler(
            gateway_event("POST", "/playlist", {"prompt": "jazz", "limit": 4}), Context()
        )
    assert result["statusCode"] == 200
    (line,) = emf_lines(caplog)
    assert line["FunctionName"] == "aidj-dev"
    assert all(d["Dimensions"][0][0] == "FunctionName" for d in line["_aws"]["CloudWatchMetrics"])


SAMPLE = re.compile(r'^[a-z_]+(\{([a-z]+="[^"\n]*",?)+\})? -?[0-9.e+]+$')


def test_aidj_serve_answers_prometheus_text_when_asked_for(make_api) -> None:
    server = LiveServer(make_api(metrics=True)).start()
    try:
        requests.post(f"{server.url}/playlist", json=PROMPT, timeout=60)
        requests.post(f"{server.url}/playlist", json={"prompt": ""}, timeout=60)
        response = requests.get(f"{server.url}/metrics", timeout=60)
    finally:
        server.stop()
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    lines = response.text.splitlines()
    samples = [line for line in lines if not line.startswith("#")]
    assert all(SAMPLE.match(line) for line in samples), samples
    assert "aidj_playlists_created_total 1" in lines
    assert "aidj_tracks_total 6" in lines
    assert 'aidj_interpreter_used_total{interpreter="local"} 1' in lines
    assert 'aidj_errors_total{code="validation_error"} 1' in lines
    assert 'aidj_requests_total{route="POST /playlist",status="200"} 1' in lines
    assert 'aidj_stage_latency_ms_count{stage="build"} 1' in lines


def test_the_route_is_declared_but_never_on_api_gateway() -> None:
    from aidj_service.edge.routes import ROUTED, gateway_route_keys

    (metrics,) = [e for e in ROUTED if e.path == "/metrics"]
    assert metrics.gateway is False
    assert "GET /metrics" not in gateway_route_keys()
