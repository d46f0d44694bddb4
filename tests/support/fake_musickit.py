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

from .document_server import DocumentServer
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


class FakeMusicKit(DocumentServer):
    def __init__(self, token: str = USER_TOKEN) -> None:
        super().__init__()
        self.token = token
        self.refuse = False
        self.loads = 0

    def answer(self, path: str) -> tuple[int, dict[str, str], bytes] | None:
        if path.split("?", 1)[0] != "/musickit.js":
            return None
        self.loads += 1
        body = SCRIPT % {
            "refuse": "true" if self.refuse else "false",
            "token": json.dumps(self.token),
        }
        headers = {
            "content-type": "application/javascript; charset=utf-8",
            "cache-control": "no-store",
        }
        return 200, headers, body.encode()

    @property
    def url(self) -> str:
        return f"{self.origin}/musickit.js"
