"""Each platform's fake server and a client for it, behind one shape the contract tests share."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from aidj_service.delivery.apple_music import AppleMusic
from aidj_service.delivery.apple_token import DeveloperToken
from aidj_service.delivery.deliver import DeliveryRequest
from aidj_service.delivery.platform import Platform
from aidj_service.delivery.subsonic import Subsonic
from aidj_service.delivery.youtube_music import YouTubeMusic
from tests.support import fake_apple_music, fake_subsonic, fake_youtube
from tests.support.delivery_playlist import playlist
from tests.support.fake_platform import FakePlatform, no_sleep
from tests.support.fake_spotify import fake_spotify  # noqa: F401  (re-exported fixture)

FAST = {"sleep": no_sleep, "jitter": lambda: 0.0, "timeout_s": 2.0}


@dataclass
class World:
    """One platform: its fake, a way to open a fresh client (a new request), what it holds."""

    name: str
    fake: FakePlatform
    open: Callable[[], Platform]
    create: tuple[str, str]  # the request that creates a playlist: method, path pattern
    playlists: Callable[[], list[list[str]]]  # every playlist's song ids, in order


def apple_world(fake: fake_apple_music.FakeAppleMusic) -> World:
    token = DeveloperToken(
        team_id=fake_apple_music.TEAM_ID,
        key_id=fake_apple_music.KEY_ID,
        private_key_pem=fake.private_key_pem,
    )
    return World(
        "apple_music",
        fake,
        lambda: AppleMusic(token, fake_apple_music.USER_TOKEN, api_url=fake.url, **FAST),
        ("POST", r"^/v1/me/library/playlists$"),
        lambda: [list(p["tracks"]) for p in fake.playlists.values()],
    )


def youtube_world(fake: fake_youtube.FakeYouTube) -> World:
    return World(
        "youtube_music",
        fake,
        lambda: YouTubeMusic(fake_youtube.ACCESS_TOKEN, api_url=fake.url, **FAST),
        ("POST", r"/playlists$"),
        lambda: [list(p["items"]) for p in fake.playlists.values()],
    )


def subsonic_world(fake: fake_subsonic.FakeSubsonic) -> World:
    return World(
        "subsonic",
        fake,
        lambda: Subsonic(fake.url, fake_subsonic.USER, fake_subsonic.PASSWORD, **FAST),
        ("GET", r"/rest/createPlaylist"),
        lambda: [list(p["songs"]) for p in fake.playlists.values()],
    )


WORLDS = {
    "apple_music": (fake_apple_music.FakeAppleMusic, apple_world),
    "youtube_music": (fake_youtube.FakeYouTube, youtube_world),
    "subsonic": (fake_subsonic.FakeSubsonic, subsonic_world),
}


@pytest.fixture(params=sorted(WORLDS))
def world(request: pytest.FixtureRequest) -> Iterator[World]:
    make_fake, make_world = WORLDS[request.param]
    with make_fake() as fake:
        yield make_world(fake)


@pytest.fixture
def delivery() -> DeliveryRequest:
    return DeliveryRequest(
        playlist_id="8d5c6a1e-4f1b-4c39-9a61-1f7c2b9e0a11",
        version=1,
        name="Evening mix",
        tracks=playlist(),
        description="Made by AI DJ",
    )
