"""The platform registry and the delivery settings (environment locally, SSM secrets deployed)."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from aidj_service.delivery.errors import PlatformNotConfiguredError
from aidj_service.delivery.registry import PLATFORMS
from aidj_service.delivery.settings import (
    SECRETS_PATH_VARIABLE,
    DeliverySettings,
    SettingsError,
    load_settings,
)
from tests.support.fake_subsonic import PASSWORD, USER, FakeSubsonic

APPLE = {
    "AIDJ_APPLE_MUSIC_TEAM_ID": "TEAM123456",
    "AIDJ_APPLE_MUSIC_KEY_ID": "KEY1234567",
    "AIDJ_APPLE_MUSIC_PRIVATE_KEY": "-----BEGIN PRIVATE KEY-----\nsecret\n-----END PRIVATE KEY-----",
}


def test_the_registry_names_the_four_platforms_in_order():
    assert PLATFORMS.names == ("spotify", "apple_music", "youtube_music", "subsonic")
    assert PLATFORMS.choices == "spotify, apple_music, youtube_music or subsonic"


def test_only_set_up_platforms_are_offered():
    assert PLATFORMS.configured(DeliverySettings()) == ("spotify",)
    everything = DeliverySettings.from_env(
        {
            **APPLE,
            "GOOGLE_CLIENT_ID": "g.apps",
            "GOOGLE_CLIENT_SECRET": "g-secret",
            "AIDJ_SUBSONIC_URL": "https://music.example.org",
        }
    )
    assert PLATFORMS.configured(everything) == PLATFORMS.names


def test_youtube_music_is_offered_only_with_the_client_secret_its_sign_in_is_exchanged_with():
    settings = DeliverySettings.from_env({"GOOGLE_CLIENT_ID": "g.apps"})
    assert "youtube_music" not in PLATFORMS.configured(settings)


def test_a_caller_with_its_own_google_token_delivers_without_the_page_s_sign_in_set_up():
    platform = PLATFORMS.open("youtube_music", DeliverySettings(), {"google_access_token": "t"})
    assert platform.name == "youtube_music"


def test_an_unknown_platform_lists_the_known_ones():
    with pytest.raises(KeyError, match="use spotify, apple_music, youtube_music or subsonic"):
        PLATFORMS["tidal"]


def test_opening_a_platform_that_is_not_set_up_names_the_variables():
    with pytest.raises(PlatformNotConfiguredError, match="AIDJ_APPLE_MUSIC_TEAM_ID") as raised:
        PLATFORMS.open("apple_music", DeliverySettings(), {"music_user_token": "t"})
    assert raised.value.status == 400


def test_a_request_may_not_name_another_subsonic_server_by_default():
    settings = DeliverySettings.from_env({"AIDJ_SUBSONIC_URL": "https://music.example.org"})
    with pytest.raises(PlatformNotConfiguredError, match="only to its configured server"):
        PLATFORMS.open("subsonic", settings, {"subsonic_url": "http://10.0.0.8:4533"})


def test_a_local_server_may_deliver_to_the_subsonic_server_a_request_names(delivery):
    from aidj_service.delivery.deliver import deliver
    from aidj_service.delivery.ledger import MemoryLedger

    settings = DeliverySettings.from_env({"AIDJ_SUBSONIC_FROM_REQUEST": "true"})
    with FakeSubsonic() as fake:
        platform = PLATFORMS.open(
            "subsonic",
            settings,
            {"subsonic_url": fake.url, "subsonic_user": USER, "subsonic_password": PASSWORD},
        )
        assert deliver(platform, delivery, MemoryLedger()).target_id


def test_secrets_stay_out_of_the_settings_repr():
    settings = DeliverySettings.from_env(
        {**APPLE, "AIDJ_SUBSONIC_PASSWORD": "hunter2", "GOOGLE_CLIENT_SECRET": "g-s3cret"}
    )
    shown = repr(settings)
    assert "secret" not in shown and "hunter2" not in shown and "g-s3cret" not in shown


def test_the_google_redirect_uris_are_a_comma_separated_list():
    settings = DeliverySettings.from_env(
        {"AIDJ_GOOGLE_REDIRECT_URIS": "https://dj.example.org/, https://www.dj.example.org/"}
    )
    assert settings.google_redirect_uris == (
        "https://dj.example.org/",
        "https://www.dj.example.org/",
    )


def test_musickit_loads_from_apple_unless_another_address_is_set():
    assert DeliverySettings.from_env({}).musickit_url.startswith("https://js-cdn.music.apple.com/")
    local = DeliverySettings.from_env({"AIDJ_MUSICKIT_URL": "http://127.0.0.1:9/musickit.js"})
    assert local.musickit_url == "http://127.0.0.1:9/musickit.js"


def test_a_musickit_address_in_clear_elsewhere_is_refused():
    with pytest.raises(SettingsError, match="AIDJ_MUSICKIT_URL"):
        DeliverySettings.from_env({"AIDJ_MUSICKIT_URL": "http://cdn.example.org/musickit.js"})


def test_a_bad_timeout_names_the_variable():
    with pytest.raises(SettingsError, match="AIDJ_DELIVERY_TIMEOUT_S"):
        DeliverySettings.from_env({"AIDJ_DELIVERY_TIMEOUT_S": "soon"})


@mock_aws
def test_deployed_secrets_are_read_from_ssm_secure_strings_at_start():
    ssm = boto3.client("ssm", region_name="eu-west-1")
    for name, value in APPLE.items():
        ssm.put_parameter(Name=f"/aidj-test/platforms/{name}", Value=value, Type="SecureString")
    ssm.put_parameter(
        Name="/aidj-other/platforms/AIDJ_SUBSONIC_PASSWORD", Value="x", Type="SecureString"
    )
    settings = load_settings(
        {SECRETS_PATH_VARIABLE: "/aidj-test/platforms", "AWS_REGION": "eu-west-1"}
    )
    assert settings.apple_music_private_key == APPLE["AIDJ_APPLE_MUSIC_PRIVATE_KEY"]
    assert settings.apple_music_team_id == "TEAM123456"
    assert settings.subsonic_password is None  # another stack's path is not read


def test_without_a_secrets_path_no_aws_call_is_made():
    class NoCalls:
        def get_parameters_by_path(self, **request):
            raise AssertionError("SSM was called")

    assert load_settings({"GOOGLE_CLIENT_ID": "g"}, ssm=NoCalls()).google_client_id == "g"


def test_secrets_are_read_page_by_page():
    pages = [
        {"Parameters": [{"Name": "/p/AIDJ_SUBSONIC_USER", "Value": "me"}], "NextToken": "2"},
        {"Parameters": [{"Name": "/p/AIDJ_SUBSONIC_PASSWORD", "Value": "pw"}]},
    ]

    class Paged:
        def get_parameters_by_path(self, **request):
            return pages[1] if request.get("NextToken") == "2" else pages[0]

    settings = load_settings({SECRETS_PATH_VARIABLE: "/p"}, ssm=Paged())
    assert (settings.subsonic_user, settings.subsonic_password) == ("me", "pw")
