"""The backends the service can run on: one registry per kind, name -> how to build it.

Adding a history store or an interpreter is one ``register`` call below. Everything that names
backends reads it from here: the settings (``AIDJ_HISTORY``, ``AIDJ_INTERPRETER``) and their
error messages, the API's request and health schemas (:data:`HistoryName`,
:data:`InterpreterName`), the Api building its store and interpreters, and the token vault a
store can seal Spotify tokens into. Builders import their backend only when called, so reading
the names costs nothing at start-up.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar, cast

from aidj_service.registry import NamedRegistry

if TYPE_CHECKING:
    from aidj.intent import Intent
    from aidj.interpreter import Interpretation, Interpreter
    from aidj_service.stores.history import HistoryStore
    from aidj_service.stores.tokens import TokenVault


class BackendSettings(Protocol):
    """The settings the backends read (:class:`aidj_service.config.Settings` has them all).

    A protocol, not the class: ``config`` imports these registries to validate its names, so
    the registries must not import ``config`` back.
    """

    @property
    def db_path(self) -> str: ...
    @property
    def store_timeout_s(self) -> float: ...
    @property
    def dynamodb_table_name(self) -> str | None: ...
    @property
    def dynamodb_endpoint_url(self) -> str | None: ...
    @property
    def aws_region(self) -> str | None: ...
    @property
    def bedrock_model_id(self) -> str: ...
    @property
    def token_kms_key_id(self) -> str | None: ...
    @property
    def token_key(self) -> str | None: ...


class PromptReader(Protocol):
    """What the API asks of an interpreter backend: an intent plus how it was obtained."""

    name: str

    def interpret_detailed(self, prompt: str, base: Intent | None = None) -> Interpretation: ...


@dataclass(frozen=True, slots=True)
class HistoryBackend:
    name: str
    open: Callable[[BackendSettings], HistoryStore]
    # What the settings lack for this backend, as "needs X (why)"; None when they are complete.
    check: Callable[[BackendSettings], str | None] = lambda settings: None
    # Chosen when AIDJ_HISTORY is unset and this says so of the environment (e.g. in Lambda).
    default_when: Callable[[Mapping[str, str]], bool] = lambda env: False
    # A vault that seals Spotify tokens inside this store (settings, store -> vault or None).
    token_vault: Callable[[BackendSettings, Any], TokenVault | None] | None = None


@dataclass(frozen=True, slots=True)
class InterpreterBackend:
    name: str
    # settings and the embedded local interpreter (every backend's fallback) -> the backend
    open: Callable[[BackendSettings, Interpreter], PromptReader]
    check: Callable[[BackendSettings], str | None] = lambda settings: None
    default_when: Callable[[Mapping[str, str]], bool] = lambda env: False


_B = TypeVar("_B", HistoryBackend, InterpreterBackend)


class Registry(NamedRegistry[_B]):
    """The backends of one kind, in registration order; the first registered is the default."""

    def __init__(self, kind: str, variable: str) -> None:
        super().__init__(kind)
        self.variable = variable  # the environment variable that chooses one

    def unknown(self, name: str) -> str:
        return f"{self.variable}={name!r}: no such {self.kind}; use {self.choices}"

    def default_for(self, env: Mapping[str, str]) -> str:
        """The backend to use when :attr:`variable` is unset."""
        for backend in self:
            if backend.default_when(env):
                return backend.name
        return self.names[0]


HISTORY_STORES: Registry[HistoryBackend] = Registry("history store", "AIDJ_HISTORY")
INTERPRETERS: Registry[InterpreterBackend] = Registry("interpreter", "AIDJ_INTERPRETER")


# ---------------------------------------------------------------- history stores


def _open_sqlite(settings: BackendSettings) -> HistoryStore:
    from aidj_service.stores.sqlite import SQLiteHistoryStore

    return SQLiteHistoryStore(settings.db_path, busy_timeout_s=settings.store_timeout_s)


def _open_dynamodb(settings: BackendSettings) -> HistoryStore:
    from aidj_service.stores.dynamodb import DynamoDBHistoryStore

    assert settings.dynamodb_table_name  # Settings.from_env runs the check below first
    return DynamoDBHistoryStore(
        settings.dynamodb_table_name,
        region=settings.aws_region,
        endpoint_url=settings.dynamodb_endpoint_url,
    )


def _kms_vault(settings: BackendSettings, store: Any) -> TokenVault | None:
    """Tokens sealed by KMS in the history table itself, when the stack gave the function a key."""
    if not settings.token_kms_key_id:
        return None
    import boto3

    from aidj_service.stores.tokens import KmsSealing, KmsTokenVault, TableStore

    if not isinstance(store, TableStore):
        return None
    return KmsTokenVault(
        store.table_name,
        settings.token_kms_key_id,
        dynamodb=store.client,
        # boto3 builds its clients at run time; this one has KmsSealing's calls
        kms=cast(KmsSealing, boto3.client("kms", region_name=settings.aws_region or "us-east-1")),
    )


HISTORY_STORES.register(HistoryBackend("sqlite", _open_sqlite))
HISTORY_STORES.register(
    HistoryBackend(
        "dynamodb",
        _open_dynamodb,
        check=lambda s: (
            None if s.dynamodb_table_name else "needs DYNAMODB_TABLE_NAME (the history table)"
        ),
        # a function given a table keeps its history there (the stack sets AIDJ_HISTORY anyway)
        default_when=lambda env: bool(
            env.get("AWS_LAMBDA_FUNCTION_NAME") and (env.get("DYNAMODB_TABLE_NAME") or "").strip()
        ),
        token_vault=_kms_vault,
    )
)


# ---------------------------------------------------------------- the token vault


def open_token_vault(settings: BackendSettings, store: object) -> TokenVault | None:
    """The vault these settings allow, or None when this server cannot keep tokens safely.

    A history backend that can seal tokens itself (DynamoDB with a KMS key) registers that vault
    with its backend here; otherwise a local key file, if configured.
    """
    name = getattr(store, "name", "")
    in_store = HISTORY_STORES[name].token_vault if name in HISTORY_STORES else None
    vault = in_store(settings, store) if in_store is not None else None
    if vault is not None:
        return vault
    if settings.token_key:
        from aidj_service.stores.tokens import FileTokenVault

        return FileTokenVault(
            Path(settings.db_path).parent / "spotify-tokens.enc", settings.token_key
        )
    return None


# ---------------------------------------------------------------- interpreters


class LocalReader:
    """The embedded interpreter behind :class:`PromptReader`: it never falls back, never caches."""

    def __init__(self, interpreter: Interpreter) -> None:
        self.interpreter = interpreter
        self.name = getattr(interpreter, "name", "local")

    def interpret_detailed(self, prompt: str, base: Intent | None = None) -> Interpretation:
        from aidj.interpreter import Interpretation

        if base is not None:
            return Interpretation(self.interpreter.refine(prompt, base), self.name)
        return Interpretation(self.interpreter.interpret(prompt), self.name)


def _open_bedrock(settings: BackendSettings, local: Interpreter) -> PromptReader:
    from aidj_service.clients.bedrock import BedrockInterpreter

    return BedrockInterpreter(model_id=settings.bedrock_model_id, fallback=local)


INTERPRETERS.register(InterpreterBackend("local", lambda settings, local: LocalReader(local)))
INTERPRETERS.register(InterpreterBackend("bedrock", _open_bedrock))


# The names as pydantic field types: requests naming another backend fail validation, and the
# OpenAPI schema lists exactly the registered ones. Type checkers see plain strings.
if TYPE_CHECKING:
    HistoryName = str
    InterpreterName = str
else:
    HistoryName = Literal[HISTORY_STORES.names]
    InterpreterName = Literal[INTERPRETERS.names]
