"""Service settings, read once from the environment.

A plain frozen dataclass: the same values drive the local server and the Lambda function, and
``to_env`` lets ``aidj serve --workers N`` hand them to worker processes unchanged.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path

DEFAULT_SPOTIFY_API_URL = "https://api.spotify.com/v1"
DEFAULT_BEDROCK_MODEL_ID = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
SPOTIFY_SCOPES = "playlist-modify-private playlist-modify-public"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


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


@dataclass(frozen=True, slots=True)
class Settings:
    spotify_client_id: str | None = None
    spotify_client_secret: str | None = None
    spotify_api_url: str = DEFAULT_SPOTIFY_API_URL
    dynamodb_table_name: str | None = None
    dynamodb_endpoint_url: str | None = None  # a local DynamoDB (tests, dynalite); None = AWS
    bedrock_model_id: str = DEFAULT_BEDROCK_MODEL_ID
    aws_region: str | None = None
    catalog: str | None = None  # None: aidj.catalog.resolve_catalog_paths' default (both shared files)
    cache_dir: str | None = None
    history: str = "sqlite"  # sqlite | dynamodb
    db_path: str = ".aidj/history.sqlite3"
    interpreter: str = "local"  # local | bedrock
    # None = decide from where we run: trusted on a loopback-bound `aidj serve`, never in Lambda.
    local_mode: bool | None = None
    cors_origins: tuple[str, ...] = ("*",)
    # Requests per minute per user for POST /playlist; 0 disables. None = 0 in local mode, 30 deployed.
    rate_limit_per_minute: int | None = None
    max_body_bytes: int = 64 * 1024
    request_timeout_s: float = 25.0
    idempotency_ttl_s: int = 24 * 3600
    in_lambda: bool = False

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        in_lambda = bool(env.get("AWS_LAMBDA_FUNCTION_NAME"))
        table = _str(env, "DYNAMODB_TABLE_NAME")
        history = (_str(env, "AIDJ_HISTORY") or ("dynamodb" if in_lambda and table else "sqlite")).lower()
        if history not in ("sqlite", "dynamodb"):
            raise SettingsError(f"AIDJ_HISTORY={history!r}: use sqlite or dynamodb")
        if history == "dynamodb" and not table:
            raise SettingsError("AIDJ_HISTORY=dynamodb needs DYNAMODB_TABLE_NAME (the history table)")
        interpreter = (_str(env, "AIDJ_INTERPRETER") or "local").lower()
        if interpreter not in ("local", "bedrock"):
            raise SettingsError(f"AIDJ_INTERPRETER={interpreter!r}: use local or bedrock")
        origins = tuple(o.strip() for o in (env.get("AIDJ_CORS_ORIGINS") or "*").split(",") if o.strip())
        local_mode = _bool(env, "AIDJ_LOCAL_MODE")
        if in_lambda and local_mode is None:
            local_mode = False
        db_path = _str(env, "AIDJ_DB_PATH") or (
            "/tmp/aidj/history.sqlite3" if in_lambda else str(Path(".aidj") / "history.sqlite3")
        )
        return cls(
            spotify_client_id=_str(env, "SPOTIFY_CLIENT_ID"),
            spotify_client_secret=_str(env, "SPOTIFY_CLIENT_SECRET"),
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
            cors_origins=origins or ("*",),
            rate_limit_per_minute=_int(env, "AIDJ_RATE_LIMIT_PER_MINUTE", None),
            max_body_bytes=_int(env, "AIDJ_MAX_BODY_BYTES", 64 * 1024, minimum=1) or 64 * 1024,
            in_lambda=in_lambda,
        )

    def for_host(self, host: str) -> Settings:
        """Resolve an unset ``local_mode`` for a server bound to ``host``."""
        if self.local_mode is not None:
            return self
        return replace(self, local_mode=host in LOOPBACK_HOSTS)

    @property
    def trusts_body_user(self) -> bool:
        return bool(self.local_mode)

    @property
    def effective_rate_limit(self) -> int:
        if self.rate_limit_per_minute is not None:
            return self.rate_limit_per_minute
        return 0 if self.local_mode else 30

    def to_env(self) -> dict[str, str]:
        """The environment that makes :meth:`from_env` rebuild these settings (for worker processes)."""
        names = {
            "spotify_client_id": "SPOTIFY_CLIENT_ID",
            "spotify_client_secret": "SPOTIFY_CLIENT_SECRET",
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
        }
        out: dict[str, str] = {}
        for f in fields(self):
            var = names.get(f.name)
            value = getattr(self, f.name)
            if var is None or value is None:
                continue
            if isinstance(value, bool):
                out[var] = "true" if value else "false"
            elif isinstance(value, tuple):
                out[var] = ",".join(value)
            else:
                out[var] = str(value)
        return out
