"""Web settings: typed, from the environment (prefix FLASHKEEPER_WEB_; the database and Redis
URLs are shared with the keeper and also read from FLASHKEEPER_DATABASE_URL /
FLASHKEEPER_REDIS_URL). Secrets are `SecretStr` so they never print. Outside demo/test mode
the secret key and the JWT key must come from the environment; in demo mode a missing key is
replaced by an ephemeral random one (sessions die with the process) and a warning says so."""

from __future__ import annotations

import logging
import secrets
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from keeper.config import LOCAL_DATABASE_URL, LOCAL_MANIFEST, ROOT
from web.auth.roles import Role

log = logging.getLogger("flashkeeper.web")

MIN_KEY_BYTES = 32  # HS256 keys shorter than the hash output weaken the MAC


def _shared(name: str) -> AliasChoices:
    return AliasChoices(f"FLASHKEEPER_WEB_{name}", f"FLASHKEEPER_{name}")


class WebSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FLASHKEEPER_WEB_", extra="forbid",
                                      populate_by_name=True)

    # --- serving ---
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    public_url: str = "http://127.0.0.1:8000"  # redirect URIs are built from it, exactly
    proxy_hops: int = Field(default=0, ge=0, le=5)  # X-Forwarded-* hops to trust (ProxyFix)
    frontend_dist: Path = ROOT / "web" / "frontend" / "dist"
    # --- shared with the keeper ---
    database_url: str = Field(default=LOCAL_DATABASE_URL,
                              validation_alias=_shared("DATABASE_URL"))
    redis_url: str | None = Field(default=None, validation_alias=_shared("REDIS_URL"))
    manifest: Path = Field(default=LOCAL_MANIFEST,
                           validation_alias=_shared("MANIFEST"))
    rpc_url: str = Field(default="http://127.0.0.1:8545", validation_alias=_shared("RPC_URL"))
    chain_id: int = Field(default=31337, validation_alias=_shared("CHAIN_ID"))
    # --- secrets ---
    secret_key: SecretStr | None = None  # Flask session (OAuth state, PKCE verifier)
    jwt_key: SecretStr | None = None  # HS256 signing key of access and refresh tokens
    # --- modes ---
    demo: bool = False  # ephemeral keys allowed; the stand-in provider may be enabled
    testing: bool = False
    oauth_standin: bool = False  # mount the project's stand-in OAuth2/OIDC provider
    cookie_secure: bool = True  # `__Host-` cookies need Secure; browsers allow it on localhost
    # --- OAuth clients (real providers) ---
    github_client_id: str | None = None
    github_client_secret: SecretStr | None = None
    google_client_id: str | None = None
    google_client_secret: SecretStr | None = None
    # endpoints (GitHub Enterprise, or the stand-in's GitHub/Google shapes in tests)
    github_oauth_base: str = "https://github.com/login/oauth"
    github_api_base: str = "https://api.github.com/"
    google_metadata_url: str = "https://accounts.google.com/.well-known/openid-configuration"
    # --- users ---
    admin_logins: list[str] = []  # "github:octocat", "google:someone@example.com", "standin:x"
    admin_emails: list[str] = []  # verified emails promoted to admin on login
    default_role: Role = Role.VIEWER  # role of a first-time user not on the allow-lists
    # --- tokens ---
    access_minutes: int = Field(default=15, ge=1, le=60)
    refresh_days: int = Field(default=7, ge=1, le=90)
    # --- API hygiene ---
    cors_origins: list[str] = []  # exact origins allowed cross-origin (REST and Socket.IO)
    rate_login: str = "20 per minute"
    rate_refresh: str = "30 per minute"
    rate_api: str = "600 per minute"
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    # --- live ---
    # Socket.IO concurrency: "threading" (gunicorn gthread + simple-websocket, the default) or
    # "gevent" (gunicorn's gevent worker: greenlets instead of three OS threads per socket)
    async_mode: Literal["threading", "gevent"] = "threading"
    socket_max_message_bytes: int = Field(default=16 * 1024, ge=256)
    stream_hz: float = Field(default=10.0, gt=0, le=10.0)  # per stream, per client
    stream_batch_max: int = Field(default=200, ge=1)
    # --- keeper on-chain controls ---
    executor_address: str | None = None  # else the manifest's system.executor

    @field_validator("public_url")
    @classmethod
    def _no_trailing_slash(cls, v: str) -> str:
        return v.rstrip("/")

    @field_validator("cors_origins")
    @classmethod
    def _exact_origins(cls, v: list[str]) -> list[str]:
        for origin in v:
            if origin == "*" or origin.endswith("/") or "://" not in origin:
                raise ValueError(f"CORS origin {origin!r} must be an exact scheme://host[:port]")
        return v

    @model_validator(mode="after")
    def _keys(self) -> WebSettings:
        for name in ("secret_key", "jwt_key"):
            value = getattr(self, name)
            if value is None:
                if not (self.demo or self.testing):
                    raise ValueError(f"FLASHKEEPER_WEB_{name.upper()} is required outside demo "
                                     "mode (at least 32 random bytes)")
                log.warning("demo mode: %s generated at random for this process only; "
                            "logins do not survive a restart", name)
                setattr(self, name, SecretStr(secrets.token_urlsafe(48)))
            elif len(value.get_secret_value().encode()) < MIN_KEY_BYTES:
                raise ValueError(f"FLASHKEEPER_WEB_{name.upper()} must be at least "
                                 f"{MIN_KEY_BYTES} bytes")
        if self.oauth_standin and not (self.demo or self.testing):
            raise ValueError("the stand-in OAuth provider is for demo/test only: set "
                             "FLASHKEEPER_WEB_DEMO=1 with FLASHKEEPER_WEB_OAUTH_STANDIN=1")
        return self

    @model_validator(mode="after")
    def _public_url_follows_the_bind(self) -> WebSettings:
        """Unset, the public URL is where the server is bound (a wildcard host served on
        loopback): `--port 9000` alone used to keep redirect URIs on :8000, and logins failed."""
        if "public_url" not in self.model_fields_set:
            host = "127.0.0.1" if self.host in ("0.0.0.0", "::", "") else self.host
            host = f"[{host}]" if ":" in host else host
            self.public_url = f"http://{host}:{self.port}"
        return self

    @property
    def providers(self) -> list[str]:
        """Login providers configured: real ones with a client id, the stand-in when enabled."""
        found = [p for p in ("github", "google") if getattr(self, f"{p}_client_id")]
        if self.oauth_standin:
            found.append("standin")
        return found

    def redirect_uri(self, provider: str) -> str:
        return f"{self.public_url}/auth/callback/{provider}"
