"""A local Bedrock Runtime for tests: the Converse REST protocol on 127.0.0.1.

The real boto3 ``bedrock-runtime`` client talks to it unchanged (``endpoint_url``): it answers
``POST /model/{modelId}/converse`` with the Converse response shape (``output.message.content``
holding ``toolUse`` blocks, ``stopReason``, ``usage``, ``metrics``) and errors the way
restJson1 services do (``x-amzn-ErrorType`` header plus ``__type``/``message`` body), so botocore
raises ``ThrottlingException``, ``ValidationException``, ... exactly as against AWS.

Replies are programmed in order (``reply_tool``, ``reply_text``, ``reply_raw``, ``fail``,
``slow``); when none is queued, ``responder`` (a function of the request body) decides, and by
default the model calls the tool with no arguments. Every request is recorded in ``calls``.
"""

from __future__ import annotations

import collections
import itertools
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

import pytest

TOOL_NAME = "set_playlist_parameters"


@dataclass(frozen=True)
class ConverseCall:
    model_id: str
    body: dict[str, Any]
    headers: dict[str, str]

    @property
    def user_text(self) -> str:
        """The text of the last user message (what the model was asked)."""
        message = self.body["messages"][-1]
        return "".join(block.get("text", "") for block in message["content"])


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # dict -> JSON; str/bytes -> sent as is
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class FakeBedrock:
    def __init__(self) -> None:
        self.calls: list[ConverseCall] = []
        self.replies: collections.deque[Reply] = collections.deque()
        self.responder: Callable[[dict[str, Any]], Reply] = lambda body: self.tool_reply({})
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True

    # ------------------------------------------------------------ lifecycle

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> FakeBedrock:
        threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-bedrock",
            daemon=True,
        ).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeBedrock:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------ building replies

    def tool_reply(
        self, tool_input: Any, *, name: str = TOOL_NAME, text: str | None = None
    ) -> Reply:
        content: list[dict[str, Any]] = []
        if text:
            content.append({"text": text})
        content.append(
            {
                "toolUse": {
                    "toolUseId": f"tooluse_fake{next(self._ids):06d}",
                    "name": name,
                    "input": tool_input,
                }
            }
        )
        return Reply(body=self._converse_body(content, "tool_use"))

    @staticmethod
    def _converse_body(content: list[dict[str, Any]], stop_reason: str) -> dict[str, Any]:
        return {
            "output": {"message": {"role": "assistant", "content": content}},
            "stopReason": stop_reason,
            "usage": {"inputTokens": 812, "outputTokens": 64, "totalTokens": 876},
            "metrics": {"latencyMs": 420},
        }

    # ------------------------------------------------------------ programming

    def reply_tool(
        self, tool_input: Any, *, name: str = TOOL_NAME, text: str | None = None
    ) -> None:
        """The model calls ``name`` with ``tool_input`` (any JSON value, to test malformed ones)."""
        self.replies.append(self.tool_reply(tool_input, name=name, text=text))

    def reply_text(self, text: str) -> None:
        """The model answers in prose without calling the tool."""
        self.replies.append(Reply(body=self._converse_body([{"text": text}], "end_turn")))

    def reply_raw(
        self, body: Any, status: int = 200, headers: dict[str, str] | None = None
    ) -> None:
        """Any body at all, e.g. broken JSON."""
        self.replies.append(Reply(status=status, body=body, headers=headers or {}))

    def fail(
        self,
        error_type: str = "ThrottlingException",
        status: int = 429,
        message: str = "Too many requests, please wait before trying again.",
        times: int = 1,
    ) -> None:
        """``times`` AWS errors, as Bedrock sends them."""
        for _ in range(times):
            self.replies.append(
                Reply(
                    status=status,
                    body={"__type": error_type, "message": message},
                    headers={
                        "x-amzn-ErrorType": f"{error_type}:http://internal.amazon.com/coral/com.amazon.bedrock/"
                    },
                )
            )

    def slow(self, delay: float, times: int = 1) -> None:
        """``times`` answers that only come after ``delay`` seconds (client read timeouts)."""
        for _ in range(times):
            reply = self.tool_reply({})
            reply.delay = delay
            self.replies.append(reply)

    # ------------------------------------------------------------ serving

    def handle(self, method: str, path: str, headers: dict[str, str], raw: bytes) -> Reply:
        parts = path.split("?", 1)[0].split("/")
        if method != "POST" or len(parts) != 4 or parts[1] != "model" or parts[3] != "converse":
            return Reply(
                status=404,
                body={"message": f"Unknown operation {method} {path}"},
                headers={"x-amzn-ErrorType": "UnknownOperationException"},
            )
        if not headers.get("authorization", "").startswith("AWS4-HMAC-SHA256 Credential="):
            return Reply(
                status=403,
                body={
                    "__type": "UnrecognizedClientException",
                    "message": "The security token included in the request is invalid.",
                },
                headers={"x-amzn-ErrorType": "UnrecognizedClientException"},
            )
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            return Reply(
                status=400,
                body={"__type": "ValidationException", "message": "Malformed input request"},
                headers={"x-amzn-ErrorType": "ValidationException"},
            )
        with self._lock:
            self.calls.append(ConverseCall(unquote(parts[2]), body, headers))
            reply = self.replies.popleft() if self.replies else None
        return reply if reply is not None else self.responder(body)


def _handler_for(fake: FakeBedrock) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in two writes; without this, Nagle plus delayed ACKs add ~40 ms.
            self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            reply = fake.handle(
                "POST", self.path, {k.lower(): v for k, v in self.headers.items()}, raw
            )
            if reply.delay:
                time.sleep(reply.delay)
            if isinstance(reply.body, (dict, list)):
                payload = json.dumps(reply.body).encode()
            elif isinstance(reply.body, str):
                payload = reply.body.encode()
            else:
                payload = reply.body or b""
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.send_header("x-amzn-RequestId", "00000000-0000-0000-0000-000000000000")
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client timed out and left

        do_GET = do_PUT = do_DELETE = do_POST

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


@pytest.fixture
def aws_test_env(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    """Fake AWS credentials and no shared config, so nothing can reach real AWS."""
    for name in (
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_BEARER_TOKEN_BEDROCK",
        "AWS_ROLE_ARN",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "BEDROCK_MODEL_ID",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "testing")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.fixture
def fake_bedrock(aws_test_env: None, monkeypatch: pytest.MonkeyPatch):
    """A running :class:`FakeBedrock`, with ``AIDJ_BEDROCK_ENDPOINT_URL`` pointing at it."""
    with FakeBedrock() as fake:
        monkeypatch.setenv("AIDJ_BEDROCK_ENDPOINT_URL", fake.url)
        yield fake
