"""Service settings, read once from the environment.

A plain frozen dataclass: the same values drive the local server and the Lambda function, and
``to_env`` lets ``aidj serve --workers N`` hand them to worker processes unchanged.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TypedDict

from aidj_service.clients.bedrock_models import MODELS_VARIABLE, ModelChoices
from aidj_service.stores.backends import (
    HISTORY_STORES,
    INTERPRETERS,
    HistoryBackend,
    InterpreterBackend,
    Registry,
)
from aidj_service.stores.home_region import HomeRegions

AUTH_COGNITO = "cognito"
ORIGIN_RE = re.compile(
    r"https://[A-Za-z0-9.-]+(:[0-9]{1,5})?|http://(127\.0\.0\.1|localhost)(:[0-9]{1,5})?"
)
DEFAULT_SPOTIFY_API_URL = "https://api.spotify.com/v1"
DEFAULT_BEDROCK_MODEL_ID = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
# user-modify-playback-state: "play now" adds the tracks to the user's Spotify queue; the last
# three read a listener's taste (top items, recent plays, saved tracks: aidj_service.clients.listening)
SPOTIFY_SCOPES = (
    "playlist-modify-private playlist-modify-public user-modify-playback-state "
    "user-top-read user-read-recently-played user-library-read"
)
DEFAULT_SPOTIFY_ACCOUNTS_URL = "https://accounts.spotify.com"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# What a History store may take before a request gives up on it (SQLite's busy wait, for one):
# well under the request deadline, so a stuck store answers 503 rather than time the request out.
DEFAULT_STORE_TIMEOUT_S = 5.0
# How long a request may take. Deployed, the stack sets AIDJ_REQUEST_TIMEOUT_S from its one
# derivation of time limits (aidj_infra.config.TimeLimits), under API Gateway's cut-off.
REQUEST_TIMEOUT_S = 25.0


class SettingsError(ValueError):
    """A configuration value is unusable; the message names the variable to fix."""


def _bool(env: Mapping[str, str], name: str) -> bool | None:
    raw = env.get(name)
    if raw is None or not raw.strip():
        return None
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name}={raw!r}: use true or false")


def _int(env: Mapping[str, str], name: str, default: int | None, minimum: int = 0) -> int | None:
    raw = env.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise SettingsError(f"{name}={raw!r}: use a whole number") from None
    if value < minimum:
        raise SettingsError(f"{name}={raw!r}: use a number >= {minimum}")
    return value


def _str(env: Mapping[str, str], name: str) -> str | None:
    raw = env.get(name)
    return raw.strip() if raw and raw.strip() else None


def _list(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in (env.get(name) or "").split(",") if part.strip())


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return float(raw.strip())
    except ValueError:
        raise SettingsError(f"{name}={raw!r}: use a number of seconds") from None


def _backend(env: Mapping[str, str], registry: Registry) -> str:
    """The registered backend the registry's variable names (or its default for ``env``)."""
    name = (_str(env, registry.variable) or registry.default_for(env)).lower()
    if name not in registry:
        raise SettingsError(f"{registry.variable}={name!r}: use {registry.choices}")
    return name


def _check_backend(
    settings: Settings, registry: Registry[HistoryBackend] | Registry[InterpreterBackend], name: str
) -> None:
    problem = registry[name].check(settings)
    if problem:
        raise SettingsError(f"{registry.variable}={name} {problem}")


class SignInFields(TypedDict):
    auth: str
    cognito_issuer: str | None
    cognito_client_id: str | None
    cognito_domain: str | None
    cognito_jwks_url: str | None
    anonymous: bool


def _sign_in(env: Mapping[str, str]) -> SignInFields:
    """AIDJ_AUTH and what it needs: a pool's issuer and the page's client id."""
    auth = (_str(env, "AIDJ_AUTH") or "none").lower()
    if auth not in ("none", AUTH_COGNITO):
        raise SettingsError(f"AIDJ_AUTH={auth!r}: use none or {AUTH_COGNITO}")
    anonymous = _bool(env, "AIDJ_ANONYMOUS")
    found: SignInFields = {
        "auth": auth,
        "cognito_issuer": _str(env, "AIDJ_COGNITO_ISSUER"),
        "cognito_client_id": _str(env, "AIDJ_COGNITO_CLIENT_ID"),
        "cognito_domain": _str(env, "AIDJ_COGNITO_DOMAIN"),
        "cognito_jwks_url": _str(env, "AIDJ_COGNITO_JWKS_URL"),
        "anonymous": anonymous is not False,
    }
    domain = found["cognito_domain"]
    if domain is not None and not ORIGIN_RE.fullmatch(domain):
        # it goes into the page's Content-Security-Policy: an origin, nothing else
        raise SettingsError(
            f"AIDJ_COGNITO_DOMAIN={domain!r}: use the hosted UI's origin, "
            "https://<prefix>.auth.<region>.amazoncognito.com"
        )
    if auth == AUTH_COGNITO:
        for name in ("AIDJ_COGNITO_ISSUER", "AIDJ_COGNITO_CLIENT_ID"):
            if not _str(env, name):
                raise SettingsError(
                    f"AIDJ_AUTH=cognito needs {name} (the stack sets it; locally, copy it from "
                    "`pulumi stack output`)"
                )
    elif anonymous is False:
        raise SettingsError("AIDJ_ANONYMOUS=false needs AIDJ_AUTH=cognito: nobody could create")
    return found


def _regions(env: Mapping[str, str]) -> tuple[str, ...]:
    try:
        return HomeRegions.from_env(env).regions
    except ValueError as exc:
        raise SettingsError(str(exc)) from None


def _bedrock_models(env: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    try:
        return tuple(ModelChoices.from_env(env).models.items())
    except ValueError as exc:
        raise SettingsError(str(exc)) from None


@dataclass(frozen=True, slots=True)
class Settings:
    spotify_client_id: str | None = None  # public: the web page's PKCE sign-in needs no secret
    spotify_api_url: str = DEFAULT_SPOTIFY_API_URL
    dynamodb_table_name: str | None = None
    dynamodb_endpoint_url: str | None = None  # a local DynamoDB (tests, dynalite); None = AWS
    bedrock_model_id: str = DEFAULT_BEDROCK_MODEL_ID
    aws_region: str | None = None
    catalog: str | None = (
        None  # None: aidj.catalog.resolve_catalog_paths' default (both shared files)
    )
    cache_dir: str | None = None
    history: str = HISTORY_STORES.names[0]  # a name in aidj_service.stores.backends.HISTORY_STORES
    db_path: str = ".aidj/history.sqlite3"
    interpreter: str = INTERPRETERS.names[0]  # a name in aidj_service.stores.backends.INTERPRETERS
    # None = decide from where we run: trusted on a loopback-bound `aidj serve`, never in Lambda.
    local_mode: bool | None = None
    # Origins allowed to call the API from a browser. Empty = not configured: a local server then
    # answers only its own page (same origin), a deployed one any origin ("*": it trusts only
    # Spotify bearer tokens, never cookies or the body's user_id).
    cors_origins: tuple[str, ...] = ()
    # Host names a local-mode server answers besides the loopback names (DNS-rebinding guard).
    allowed_hosts: tuple[str, ...] = ()
    # Peers whose X-Forwarded-For / -Proto the local server believes (uvicorn's forwarded_allow_ips,
    # e.g. "127.0.0.1" behind a local reverse proxy). None: no forwarding header is trusted.
    forwarded_allow_ips: str | None = None
    store_timeout_s: float = DEFAULT_STORE_TIMEOUT_S
    # Requests per minute per user for POST /playlist; 0 disables. None = 0 in local mode, 30 deployed.
    rate_limit_per_minute: int | None = None
    max_body_bytes: int = 64 * 1024
    request_timeout_s: float = REQUEST_TIMEOUT_S
    idempotency_ttl_s: int = 24 * 3600
    # A new version (and a "fresh" playlist) avoids the tracks of this many previous versions/playlists.
    freshness_depth: int = 3
    # The most versions one playlist may have; a change past it is a 409 (scheduled refreshes,
    # at most one a day, are not counted against it). Bounds what one user can make the store hold.
    max_versions: int = 1000
    # Usage metrics: EMF log lines per request (CloudWatch) and GET /metrics (Prometheus text).
    metrics: bool = False
    # `aidj serve` refreshes due playlists this often (minutes); 0 = never (use `aidj refresh` from cron).
    refresh_every_minutes: int = 0
    spotify_accounts_url: str = (
        DEFAULT_SPOTIFY_ACCOUNTS_URL  # where refresh tokens become access tokens
    )
    # Spotify refresh tokens of scheduled playlists are sealed with KMS (deployed) or with this Fernet
    # key in an encrypted file (locally); with neither, the server does not keep them.
    token_kms_key_id: str | None = None
    token_key: str | None = field(default=None, repr=False)
    # Sign-in (AIDJ_AUTH=cognito): the user is the Cognito access token's sub, checked against
    # this pool and app client (aidj_service.clients.cognito); Spotify is then only the music account.
    auth: str = "none"
    cognito_issuer: str | None = None
    cognito_client_id: str | None = None
    cognito_domain: str | None = None  # the hosted UI, for the page
    cognito_jwks_url: str | None = None  # None: <issuer>/.well-known/jwks.json
    anonymous: bool = True  # false: creating a playlist needs a sign-in too
    # The stack's regions, home first (aidj_service.stores.home_region); () for one region.
    regions: tuple[str, ...] = ()
    # name -> Bedrock model id a request may pick with "bedrock:<name>" (AIDJ_BEDROCK_MODELS).
    bedrock_models: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        in_lambda = bool(env.get("AWS_LAMBDA_FUNCTION_NAME"))
        table = _str(env, "DYNAMODB_TABLE_NAME")
        history = _backend(env, HISTORY_STORES)
        interpreter = _backend(env, INTERPRETERS)
        origins = _list(env, "AIDJ_CORS_ORIGINS")
        request_timeout = _float(env, "AIDJ_REQUEST_TIMEOUT_S", REQUEST_TIMEOUT_S)
        if not 0 < request_timeout <= 900:
            raise SettingsError(
                f"AIDJ_REQUEST_TIMEOUT_S={request_timeout:g}: use seconds above 0 (deployed, "
                "leave it to the stack: it derives it from aidj:timeoutSeconds)"
            )
        store_timeout = _float(env, "AIDJ_STORE_TIMEOUT_S", DEFAULT_STORE_TIMEOUT_S)
        if not 0 < store_timeout < request_timeout:
            raise SettingsError(
                f"AIDJ_STORE_TIMEOUT_S={store_timeout:g}: use seconds above 0 and under the "
                f"request deadline ({request_timeout:g} s, AIDJ_REQUEST_TIMEOUT_S)"
            )
        local_mode = _bool(env, "AIDJ_LOCAL_MODE")
        if in_lambda and local_mode is None:
            local_mode = False
        db_path = _str(env, "AIDJ_DB_PATH") or (
            "/tmp/aidj/history.sqlite3" if in_lambda else str(Path(".aidj") / "history.sqlite3")
        )
        settings = cls(
            spotify_client_id=_str(env, "SPOTIFY_CLIENT_ID"),
            spotify_api_url=(_str(env, "SPOTIFY_API_URL") or DEFAULT_SPOTIFY_API_URL).rstrip("/"),
            dynamodb_table_name=table,
            dynamodb_endpoint_url=_str(env, "AIDJ_DYNAMODB_ENDPOINT_URL"),
            bedrock_model_id=_str(env, "BEDROCK_MODEL_ID") or DEFAULT_BEDROCK_MODEL_ID,
            aws_region=_str(env, "AWS_REGION") or _str(env, "AWS_DEFAULT_REGION"),
            catalog=_str(env, "AIDJ_CATALOG"),
            cache_dir=_str(env, "AIDJ_CACHE_DIR"),
            history=history,
            db_path=db_path,
            interpreter=interpreter,
            local_mode=local_mode,
            cors_origins=origins,
            allowed_hosts=tuple(h.lower() for h in _list(env, "AIDJ_ALLOWED_HOSTS")),
            forwarded_allow_ips=_str(env, "AIDJ_FORWARDED_ALLOW_IPS"),
            store_timeout_s=store_timeout,
            request_timeout_s=request_timeout,
            rate_limit_per_minute=_int(env, "AIDJ_RATE_LIMIT_PER_MINUTE", None),
            max_body_bytes=_int(env, "AIDJ_MAX_BODY_BYTES", 64 * 1024, minimum=1) or 64 * 1024,
            freshness_depth=min(10, _int(env, "AIDJ_FRESHNESS_DEPTH", 3) or 0),
            max_versions=_int(env, "AIDJ_MAX_VERSIONS", 1000, minimum=1) or 1000,
            metrics=bool(_bool(env, "AIDJ_METRICS")),
            refresh_every_minutes=_int(env, "AIDJ_REFRESH_EVERY_MINUTES", 0) or 0,
            spotify_accounts_url=(
                _str(env, "SPOTIFY_ACCOUNTS_URL") or DEFAULT_SPOTIFY_ACCOUNTS_URL
            ).rstrip("/"),
            token_kms_key_id=_str(env, "AIDJ_TOKEN_KMS_KEY_ID"),
            token_key=_str(env, "AIDJ_TOKEN_KEY"),
            **_sign_in(env),
            regions=_regions(env),
            bedrock_models=_bedrock_models(env),
        )
        _check_backend(settings, HISTORY_STORES, history)
        _check_backend(settings, INTERPRETERS, interpreter)
        return settings

    def for_host(self, host: str) -> Settings:
        """Resolve an unset ``local_mode`` for a server bound to ``host``."""
        if self.local_mode is not None:
            return self
        return replace(self, local_mode=host in LOOPBACK_HOSTS)

    @property
    def trusts_body_user(self) -> bool:
        # with sign-in on, only a token says who calls, on a local server too
        return bool(self.local_mode) and not self.signs_in

    @property
    def signs_in(self) -> bool:
        return self.auth == AUTH_COGNITO

    @property
    def home_regions(self) -> HomeRegions:
        return (
            HomeRegions(here=self.aws_region, regions=self.regions)
            if self.regions
            else HomeRegions()
        )

    @property
    def model_choices(self) -> ModelChoices:
        return ModelChoices(dict(self.bedrock_models))

    @property
    def effective_cors_origins(self) -> tuple[str, ...]:
        """The configured origins; unset: none beyond the page's own locally, any ("*") deployed."""
        if self.cors_origins:
            return self.cors_origins
        return () if self.local_mode else ("*",)

    @property
    def effective_rate_limit(self) -> int:
        if self.rate_limit_per_minute is not None:
            return self.rate_limit_per_minute
        return 0 if self.local_mode else 30

    def to_env(self) -> dict[str, str]:
        """The environment that makes :meth:`from_env` rebuild these settings (for worker processes)."""
        names = {
            "spotify_client_id": "SPOTIFY_CLIENT_ID",
            "spotify_api_url": "SPOTIFY_API_URL",
            "dynamodb_table_name": "DYNAMODB_TABLE_NAME",
            "dynamodb_endpoint_url": "AIDJ_DYNAMODB_ENDPOINT_URL",
            "bedrock_model_id": "BEDROCK_MODEL_ID",
            "aws_region": "AWS_REGION",
            "catalog": "AIDJ_CATALOG",
            "cache_dir": "AIDJ_CACHE_DIR",
            "history": "AIDJ_HISTORY",
            "db_path": "AIDJ_DB_PATH",
            "interpreter": "AIDJ_INTERPRETER",
            "local_mode": "AIDJ_LOCAL_MODE",
            "cors_origins": "AIDJ_CORS_ORIGINS",
            "rate_limit_per_minute": "AIDJ_RATE_LIMIT_PER_MINUTE",
            "max_body_bytes": "AIDJ_MAX_BODY_BYTES",
            "freshness_depth": "AIDJ_FRESHNESS_DEPTH",
            "max_versions": "AIDJ_MAX_VERSIONS",
            "metrics": "AIDJ_METRICS",
            "refresh_every_minutes": "AIDJ_REFRESH_EVERY_MINUTES",
            "spotify_accounts_url": "SPOTIFY_ACCOUNTS_URL",
            "token_kms_key_id": "AIDJ_TOKEN_KMS_KEY_ID",
            "token_key": "AIDJ_TOKEN_KEY",
            "allowed_hosts": "AIDJ_ALLOWED_HOSTS",
            "forwarded_allow_ips": "AIDJ_FORWARDED_ALLOW_IPS",
            "store_timeout_s": "AIDJ_STORE_TIMEOUT_S",
            "request_timeout_s": "AIDJ_REQUEST_TIMEOUT_S",
            "auth": "AIDJ_AUTH",
            "cognito_issuer": "AIDJ_COGNITO_ISSUER",
            "cognito_client_id": "AIDJ_COGNITO_CLIENT_ID",
            "cognito_domain": "AIDJ_COGNITO_DOMAIN",
            "cognito_jwks_url": "AIDJ_COGNITO_JWKS_URL",
            "anonymous": "AIDJ_ANONYMOUS",
            "regions": "AIDJ_REGIONS",
        }
        out: dict[str, str] = {}
        if self.bedrock_models:
            out[MODELS_VARIABLE] = json.dumps(dict(self.bedrock_models))
        for f in fields(self):
            var = names.get(f.name)
            value = getattr(self, f.name)
            if var is None or value is None:
                continue
            if isinstance(value, bool):
                out[var] = "true" if value else "false"
            elif isinstance(value, tuple):
                if value:
                    out[var] = ",".join(value)
            else:
                out[var] = str(value)
        return out
