"""Usage metrics, from what each request's log line already knows; off unless ``AIDJ_METRICS=on``.

One step of the middleware chain reads the request's fields after its answer (route, status,
error code, interpreter and fallback, tracks, the time of each stage) and

- logs one CloudWatch embedded-metric-format line (deployed, the log line *is* the metric: no
  API call, no agent), and
- adds to in-process counters that ``GET /metrics`` answers in Prometheus text format (a local
  server; each ``aidj serve`` worker process counts its own requests).

Never personal data: no user, prompt, playlist id or token is a value or a label, only the
route template, the status, the error code and the interpreter's registered name.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Mapping
from typing import Any

from aidj_service.config import Settings
from aidj_service.edge.http import NotFound, Request, Response
from aidj_service.edge.router import Handler
from aidj_service.logs import log_request

NAMESPACE = "AIDJ"  # the refresh-failure metric and its alarm use it too
# The stages a request's timings_ms names (operations/create.py, building.py) -> metric names.
STAGES = {
    "interpret": "InterpretLatency",
    "build": "BuildLatency",
    "spotify": "SpotifyLatency",
    "store": "StoreLatency",
}
# Histogram buckets for latencies in ms (Prometheus), from a cache hit to the request deadline.
BUCKETS_MS = (5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 25000)
# A label value must be one of ours (a code, a registered name); anything else is counted as "other".
LABEL_RE = re.compile(r"^[a-z0-9_:.\-]{1,60}$")
PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8"
CREATE_ROUTE = "POST /playlist"


def label(value: object) -> str:
    text = str(value or "")
    return text if LABEL_RE.match(text) else "other"


class Usage:
    """What one answered request contributes to the metrics (nothing personal)."""

    def __init__(self, request: Request, response: Response, duration_ms: float) -> None:
        fields = request.context
        self.route = request.route or "unmatched"
        self.status = response.status
        outcome = fields.get("outcome")
        self.error = label(outcome) if response.status >= 400 else None
        created = self.route == CREATE_ROUTE and response.status == 200 and outcome != "replayed"
        self.created = created
        self.tracks = int(fields.get("tracks_count") or 0) if created else 0
        self.interpreter = label(fields["interpreter"]) if fields.get("interpreter") else None
        self.fallback = bool(fields.get("fallback_reason"))
        timings: Mapping[str, float] = fields.get("timings_ms") or {}
        self.stages = {stage: float(timings[stage]) for stage in STAGES if stage in timings}
        self.duration_ms = duration_ms

    def emf(self, now_ms: int, function_name: str) -> dict[str, Any]:
        """The CloudWatch embedded-metric-format line for this request."""
        line: dict[str, Any] = {"FunctionName": function_name, "Requests": 1}
        line["Latency"] = round(self.duration_ms, 2)
        plain = [{"Name": "Requests", "Unit": "Count"}, {"Name": "Latency", "Unit": "Milliseconds"}]
        if self.created:
            line.update(PlaylistsCreated=1, Tracks=self.tracks)
            plain += [
                {"Name": "PlaylistsCreated", "Unit": "Count"},
                {"Name": "Tracks", "Unit": "Count"},
            ]
        for stage, ms in self.stages.items():
            line[STAGES[stage]] = ms
            plain.append({"Name": STAGES[stage], "Unit": "Milliseconds"})
        directives = [_directive(["FunctionName"], plain)]
        if self.interpreter:
            line.update(Interpreter=self.interpreter, InterpreterUsed=1)
            used = [{"Name": "InterpreterUsed", "Unit": "Count"}]
            if self.fallback:
                line["InterpreterFallbacks"] = 1
                used.append({"Name": "InterpreterFallbacks", "Unit": "Count"})
            directives.append(_directive(["FunctionName", "Interpreter"], used))
        if self.error:
            line.update(ErrorCode=self.error, Errors=1)
            directives.append(
                _directive(["FunctionName", "ErrorCode"], [{"Name": "Errors", "Unit": "Count"}])
            )
        return {"_aws": {"Timestamp": now_ms, "CloudWatchMetrics": directives}, **line}


def _directive(dimensions: list[str], metrics: list[dict[str, str]]) -> dict[str, Any]:
    return {"Namespace": NAMESPACE, "Dimensions": [dimensions], "Metrics": metrics}


class Counters:
    """The Prometheus side: counters and latency histograms, in this process's memory."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
        self._histograms: dict[str, list[float]] = {}  # stage -> bucket counts, then sum, count

    def add(self, usage: Usage) -> None:
        with self._lock:
            self._count("aidj_requests_total", route=usage.route, status=str(usage.status))
            if usage.created:
                self._count("aidj_playlists_created_total")
                self._count("aidj_tracks_total", by=usage.tracks)
            if usage.interpreter:
                self._count("aidj_interpreter_used_total", interpreter=usage.interpreter)
                if usage.fallback:
                    self._count("aidj_interpreter_fallbacks_total", interpreter=usage.interpreter)
            if usage.error:
                self._count("aidj_errors_total", code=usage.error)
            for stage, ms in {**usage.stages, "request": usage.duration_ms}.items():
                self._observe(stage, ms)

    def _count(self, name: str, by: float = 1, **labels: str) -> None:
        key = (name, tuple(sorted(labels.items())))
        self._counts[key] = self._counts.get(key, 0) + by

    def _observe(self, stage: str, ms: float) -> None:
        hist = self._histograms.setdefault(stage, [0.0] * (len(BUCKETS_MS) + 2))
        for i, bound in enumerate(BUCKETS_MS):
            if ms <= bound:
                hist[i] += 1
        hist[-2] += ms
        hist[-1] += 1

    def text(self) -> str:
        """Prometheus text exposition format 0.0.4, in a stable order."""
        with self._lock:
            counts = sorted(self._counts.items())
            histograms = sorted((k, list(v)) for k, v in self._histograms.items())
        out: list[str] = []
        for name, help_text in COUNTER_HELP.items():
            out += [f"# HELP {name} {help_text}", f"# TYPE {name} counter"]
            out += [
                f"{name}{_labels(labels)} {_number(v)}" for (n, labels), v in counts if n == name
            ]
        name = "aidj_stage_latency_ms"
        out += [f"# HELP {name} {LATENCY_HELP}", f"# TYPE {name} histogram"]
        for stage, hist in histograms:
            for bound, count in zip(BUCKETS_MS, hist, strict=False):
                le = (("stage", stage), ("le", str(bound)))
                out.append(f"{name}_bucket{_labels(le)} {_number(count)}")
            inf = (("stage", stage), ("le", "+Inf"))
            out.append(f"{name}_bucket{_labels(inf)} {_number(hist[-1])}")
            out.append(f"{name}_sum{_labels((('stage', stage),))} {round(hist[-2], 3)}")
            out.append(f"{name}_count{_labels((('stage', stage),))} {_number(hist[-1])}")
        return "\n".join(out) + "\n"


COUNTER_HELP = {
    "aidj_requests_total": "Requests answered, by route template and status",
    "aidj_playlists_created_total": "Playlists built by POST /playlist (replays not counted)",
    "aidj_tracks_total": "Tracks in the playlists built",
    "aidj_interpreter_used_total": "Prompts read, by the interpreter that read them",
    "aidj_interpreter_fallbacks_total": "Prompts the embedded interpreter read after the asked one failed",
    "aidj_errors_total": "Error answers, by error code",
}
LATENCY_HELP = "Time per stage in ms (interpret, build, spotify, store; request: the whole answer)"


def _labels(labels: tuple[tuple[str, str], ...]) -> str:
    if not labels:
        return ""
    escaped = (
        (k, v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")) for k, v in labels
    )
    return "{" + ",".join(f'{k}="{v}"' for k, v in escaped) + "}"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


class UsageMetrics:
    """The middleware step (:meth:`step`) and the ``GET /metrics`` route (:meth:`scrape`)."""

    def __init__(self, settings: Settings) -> None:
        self.enabled = settings.metrics
        self.counters = Counters()

    def step(self, request: Request, next: Handler) -> Response:
        if not self.enabled:
            return next(request)
        started = time.perf_counter()
        response = next(request)
        usage = Usage(request, response, (time.perf_counter() - started) * 1000)
        self.counters.add(usage)
        function = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "local")
        log_request(usage.emf(int(time.time() * 1000), function))
        return response

    def scrape(self, request: Request) -> Response:
        if not self.enabled:
            raise NotFound(
                "usage metrics are off on this server: start it with AIDJ_METRICS=on",
                code="metrics_off",
            )
        return Response(
            200, self.counters.text().encode("utf-8"), {"content-type": PROMETHEUS_TYPE}
        )
