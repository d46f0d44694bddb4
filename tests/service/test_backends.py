"""The backend registries: one registration names a backend everywhere, and every history store
says "cannot answer now" the same way (HistoryUnavailable)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import get_args

import pytest

from aidj_service.config import Settings, SettingsError
from aidj_service.models import Health, PlaylistRequest, VersionRequest
from aidj_service.stores.backends import (
    HISTORY_STORES,
    INTERPRETERS,
    HistoryBackend,
    LocalReader,
    Registry,
    open_token_vault,
)
from aidj_service.stores.dynamodb import DynamoDBHistoryStore
from aidj_service.stores.history import HistoryUnavailable
from aidj_service.stores.sqlite import SQLiteHistoryStore
from aidj_service.stores.tokens import FileTokenVault, KmsTokenVault


def test_the_registries_hold_the_backends_the_service_ships() -> None:
    assert HISTORY_STORES.names == ("sqlite", "dynamodb")
    assert INTERPRETERS.names == ("local", "bedrock")


@pytest.mark.parametrize("name", HISTORY_STORES.names)
def test_every_registered_history_store_is_a_valid_setting(name: str) -> None:
    settings = Settings.from_env({"AIDJ_HISTORY": name.upper(), "DYNAMODB_TABLE_NAME": "t"})
    assert settings.history == name


@pytest.mark.parametrize("name", INTERPRETERS.names)
def test_every_registered_interpreter_is_a_valid_setting(name: str) -> None:
    assert Settings.from_env({"AIDJ_INTERPRETER": name}).interpreter == name


def test_an_unknown_backend_is_refused_with_every_registered_name() -> None:
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({"AIDJ_HISTORY": "postgres"})
    assert str(refused.value) == "AIDJ_HISTORY='postgres': use sqlite or dynamodb"


def test_a_backend_states_what_it_needs_from_the_settings() -> None:
    with pytest.raises(SettingsError, match="AIDJ_HISTORY=dynamodb needs DYNAMODB_TABLE_NAME"):
        Settings.from_env({"AIDJ_HISTORY": "dynamodb"})


def test_request_and_health_schemas_name_exactly_the_registered_backends() -> None:
    def enum_of(model, field: str) -> set[str]:
        schema = model.model_json_schema()["properties"][field]
        options = schema.get("anyOf", [schema])
        return {value for option in options for value in option.get("enum", [])}

    assert enum_of(PlaylistRequest, "interpreter") == set(INTERPRETERS.names)
    assert enum_of(VersionRequest, "interpreter") == set(INTERPRETERS.names)
    assert enum_of(Health, "interpreter") == set(INTERPRETERS.names)
    assert enum_of(Health, "history") == set(HISTORY_STORES.names)


def test_a_request_naming_an_unregistered_interpreter_fails_validation() -> None:
    with pytest.raises(ValueError, match="'local' or 'bedrock'"):
        PlaylistRequest.model_validate({"prompt": "jazz", "interpreter": "gpt"})


def test_one_registration_makes_a_backend_choosable_and_buildable(tmp_path: Path) -> None:
    registry: Registry[HistoryBackend] = Registry("history store", "AIDJ_HISTORY")
    registry.register(HistoryBackend("sqlite", lambda s: SQLiteHistoryStore(s.db_path)))
    registry.register(
        HistoryBackend(
            "memory",
            lambda s: SQLiteHistoryStore(":memory:"),
            default_when=lambda env: env.get("CI") == "1",
        )
    )

    assert registry.choices == "sqlite or memory"
    assert (registry.default_for({}), registry.default_for({"CI": "1"})) == ("sqlite", "memory")
    store = registry["memory"].open(Settings(db_path=str(tmp_path / "unused.sqlite3")))
    assert store.get("00000000-0000-4000-8000-000000000000") is None
    with pytest.raises(ValueError, match="already registered"):
        registry.register(HistoryBackend("memory", lambda s: SQLiteHistoryStore(":memory:")))


def test_the_local_interpreter_answers_with_its_own_name(dj) -> None:
    reader = INTERPRETERS["local"].open(Settings(), dj.interpreter)
    assert isinstance(reader, LocalReader)
    answer = reader.interpret_detailed("calm piano for reading")
    assert (answer.interpreter, answer.fallback_reason) == ("local", None)
    assert answer.intent == dj.interpreter.interpret("calm piano for reading")


# ---------------------------------------------------------------- HistoryUnavailable


def test_a_locked_sqlite_file_raises_history_unavailable(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    store = SQLiteHistoryStore(path, busy_timeout_s=0.05)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(HistoryUnavailable) as caught:
            store.claim("user", "key", "fingerprint", 60)
        with pytest.raises(HistoryUnavailable):
            store.health_check()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        store.close()
    assert caught.value.reason == "OperationalError"
    assert isinstance(caught.value.__cause__, sqlite3.OperationalError)
    assert store.name in str(caught.value)


def test_a_dynamodb_store_without_its_table_raises_history_unavailable(
    moto_store: DynamoDBHistoryStore,
) -> None:
    from botocore.exceptions import ClientError

    missing = DynamoDBHistoryStore("no-such-table", client=moto_store.client)
    with pytest.raises(HistoryUnavailable) as caught:
        missing.list("user")
    assert caught.value.reason == "ResourceNotFoundException"
    assert isinstance(caught.value.__cause__, ClientError)


def test_throttling_beyond_the_retries_raises_history_unavailable(aws_env: None) -> None:
    import boto3
    from botocore.stub import Stubber

    client = boto3.client("dynamodb", region_name="us-east-1")
    store = DynamoDBHistoryStore("history", client=client)
    with Stubber(client) as stub:
        stub.add_client_error(
            "query", "ProvisionedThroughputExceededException", http_status_code=400
        )
        with pytest.raises(HistoryUnavailable, match="ProvisionedThroughputExceededException"):
            store.get("00000000-0000-4000-8000-000000000000")


# ---------------------------------------------------------------- the token vault


def test_a_dynamodb_store_with_a_kms_key_seals_tokens_in_its_table(
    moto_store: DynamoDBHistoryStore,
) -> None:
    vault = open_token_vault(Settings(token_kms_key_id="alias/aidj"), moto_store)
    assert isinstance(vault, KmsTokenVault) and vault.table_name == moto_store.table_name


def test_a_store_without_a_vault_of_its_own_uses_the_local_key_file(tmp_path: Path) -> None:
    from cryptography.fernet import Fernet

    store = SQLiteHistoryStore(tmp_path / "history.sqlite3")
    settings = Settings(
        db_path=str(tmp_path / "history.sqlite3"),
        token_kms_key_id="alias/aidj",  # a KMS key does not help a store that cannot hold tokens
        token_key=Fernet.generate_key().decode(),
    )
    try:
        assert isinstance(open_token_vault(settings, store), FileTokenVault)
        assert open_token_vault(Settings(db_path=settings.db_path), store) is None
    finally:
        store.close()


def test_the_registered_names_are_the_pydantic_field_types() -> None:
    from aidj_service.stores.backends import HistoryName, InterpreterName

    assert get_args(HistoryName) == HISTORY_STORES.names
    assert get_args(InterpreterName) == INTERPRETERS.names


@pytest.mark.parametrize("name", HISTORY_STORES.names)
def test_each_history_store_reports_the_name_it_is_registered_under(
    name: str, aws_env: None, tmp_path: Path
) -> None:
    # /health shows it, and the token vault is found by it
    settings = Settings(
        history=name, db_path=str(tmp_path / "h.sqlite3"), dynamodb_table_name="history"
    )
    store = HISTORY_STORES[name].open(settings)
    try:
        assert store.name == name
    finally:
        store.close()


@pytest.mark.parametrize("name", INTERPRETERS.names)
def test_each_interpreter_reports_the_name_it_is_registered_under(name: str, dj) -> None:
    assert INTERPRETERS[name].open(Settings(), dj.interpreter).name == name
