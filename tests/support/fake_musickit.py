"""A stand-in for Apple's MusicKit JS, served from 127.0.0.1, so browser tests never reach Apple.

``GET /musickit.js`` answers a script with the surface the page uses of MusicKit JS v3
(``MusicKit.configure({developerToken, app})`` resolving to the instance,
``MusicKit.getInstance()``, ``instance.authorize()`` resolving to the listener's Music User
Token) and fires ``musickitloaded`` as Apple's does. While :attr:`FakeMusicKit.refuse` is set,
``authorize()`` rejects, as when the listener closes Apple's sign-in window. The options the page
configured it with are kept in ``window.fakeMusicKitConfigured`` for the test to read.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .fake_apple_music import USER_TOKEN

SCRIPT = """(() => {
  const instance = {
    isAuthorized: false,
    async authorize() {
      if (%(refuse)s) throw new Error("AUTHORIZATION_ERROR: Unauthorized");
      this.isAuthorized = true;
      return %(token)s;
    },
  };
  window.MusicKit = {
    async configure(options) {
      window.fakeMusicKitConfigured = options;
      return instance;
    },
    getInstance: () => instance,
  };
  document.dispatchEvent(new Event("musickitloaded"));
})();
"""


class FakeMusicKit:
    def __init__(self, token: str = USER_TOKEN) -> None:
        self.token = token
        self.refuse = False
        self.loads = 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path.split("?", 1)[0] != "/musickit.js":
                    self.send_error(404)
                    return
                fake.loads += 1
                body = (
                    SCRIPT
                    % {
                        "refuse": "true" if fake.refuse else "false",
                        "token": json.dumps(fake.token),
                    }
                ).encode()
                self.send_response(200)
                self.send_header("content-type", "application/javascript; charset=utf-8")
                self.send_header("cache-control", "no-store")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/musickit.js"

    def __enter__(self) -> FakeMusicKit:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
