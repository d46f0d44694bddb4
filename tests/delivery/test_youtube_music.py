"""YouTube Music through the YouTube Data API v3: music-only search, quota units, one item per call."""

from __future__ import annotations

import pytest

from aidj_service.delivery.deliver import deliver
from aidj_service.delivery.errors import PlatformPartialWriteError, PlatformQuotaError
from aidj_service.delivery.ledger import MemoryLedger
from aidj_service.delivery.youtube_music import YouTubeMusic, iso_duration_ms, video_candidate
from tests.support.delivery_playlist import EXPECTED_UNMATCHED, expected_target, playlist
from tests.support.fake_platform import Fault
from tests.support.fake_youtube import ACCESS_TOKEN, FakeYouTube

from .conftest import FAST

PLANTED = [expected_target(t.track_id) for t in playlist() if t.track_id not in EXPECTED_UNMATCHED]


@pytest.fixture
def youtube():
    with FakeYouTube() as fake:
        yield fake


def client(fake: FakeYouTube) -> YouTubeMusic:
    return YouTubeMusic(ACCESS_TOKEN, api_url=fake.url, **FAST)


def test_the_units_counted_per_delivery_are_what_youtube_bills(youtube, delivery):
    result = deliver(client(youtube), delivery, MemoryLedger())
    # 20 searches (100 each), 19 duration lookups (1 each; one search found nothing), the
    # marker lookup (1), the playlist (50) and 17 items (50 each).
    assert result.usage == {"quota_units": 20 * 100 + 19 + 1 + 50 + 17 * 50}
    assert youtube.units_used == result.usage["quota_units"] == 2920


def test_a_20_track_playlist_fits_in_the_default_daily_quota_three_times(youtube, delivery):
    deliver(client(youtube), delivery, MemoryLedger())
    assert youtube.units_used * 3 < 10_000


def test_every_search_is_restricted_to_music_videos(youtube, delivery):
    deliver(client(youtube), delivery, MemoryLedger())
    searches = youtube.requests_to("GET", "/search$")
    assert len(searches) == 20
    assert all(r.one("type") == "video" and r.one("videoCategoryId") == "10" for r in searches)


def test_an_exhausted_quota_says_to_try_tomorrow(delivery):
    with (
        FakeYouTube(daily_quota=150) as fake,
        pytest.raises(PlatformQuotaError, match="try again tomorrow"),
    ):
        deliver(client(fake), delivery, MemoryLedger())


def test_the_playlist_is_private(youtube, delivery):
    deliver(client(youtube), delivery, MemoryLedger())
    (playlist_,) = youtube.playlists.values()
    assert playlist_["privacy"] == "private"


def test_a_failed_item_is_completed_by_the_retry_without_duplicates(youtube, delivery):
    youtube.add_fault(Fault(500, method="POST", path="/playlistItems$", after=4))
    ledger = MemoryLedger()
    with pytest.raises(PlatformPartialWriteError, match="holds only 4 of 17"):
        deliver(client(youtube), delivery, ledger)
    deliver(client(youtube), delivery, ledger)
    assert [p["items"] for p in youtube.playlists.values()] == [PLANTED]


def test_a_retry_does_not_search_again(youtube, delivery):
    youtube.add_fault(Fault(500, method="POST", path="/playlistItems$", after=4))
    ledger = MemoryLedger()
    with pytest.raises(PlatformPartialWriteError):
        deliver(client(youtube), delivery, ledger)
    searches = len(youtube.requests_to("GET", "/search$"))
    deliver(client(youtube), delivery, ledger)
    assert len(youtube.requests_to("GET", "/search$")) == searches


def test_an_official_video_title_names_its_artist():
    found = video_candidate(
        "v1",
        {"title": "Radiohead - Creep (Official Video)", "channelTitle": "RadioheadVEVO"},
        238_000,
    )
    assert (found.name, found.artists) == ("Creep (Official Video)", ("Radiohead", "Radiohead"))


def test_a_topic_channel_names_the_artist_of_a_bare_title():
    found = video_candidate(
        "v2", {"title": "Don&#39;t Stop Me Now", "channelTitle": "Queen - Topic"}, None
    )
    assert (found.name, found.artists) == ("Don't Stop Me Now", ("Queen",))


def test_iso_8601_durations_are_read():
    assert iso_duration_ms("PT3M45S") == 225_000
    assert iso_duration_ms("PT1H2M3S") == 3_723_000
    assert iso_duration_ms("P0D") is None
