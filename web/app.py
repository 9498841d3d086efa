"""The dashboard's application factory."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from flask import Flask

from web.config import WebSettings
from web.extensions import db, jwt, limiter, socketio

log = logging.getLogger("flashkeeper.web")


class UndeclaredRoute(RuntimeError):
    """An /api or /auth route without a `requires`/`public` declaration (deny by default)."""

    def __init__(self, rules: list[str]) -> None:
        super().__init__("routes without a role declaration: " + ", ".join(rules))


def create_app(config: WebSettings | Mapping[str, Any] | None = None) -> Flask:
    """`config`: settings, or overrides of the environment's settings (tests), or None."""
    settings = config if isinstance(config, WebSettings) else WebSettings(**dict(config or {}))
    app = Flask(__name__, static_folder=None)
    app.config.update(
        FLASHKEEPER=settings,
        SECRET_KEY=settings.secret_key.get_secret_value(),  # type: ignore[union-attr]
        TESTING=settings.testing,
        # the session only carries OAuth state/PKCE/nonce between login and callback; Lax so
        # that it comes back on the provider's top-level redirect
        SESSION_COOKIE_NAME="__Host-session" if settings.cookie_secure else "session",
        SESSION_COOKIE_SECURE=settings.cookie_secure,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=10),
        RATELIMIT_STORAGE_URI=settings.redis_url or "memory://",
        RATELIMIT_KEY_PREFIX="flashkeeper",
        JSON_SORT_KEYS=False,
    )

    from web.auth.tokens import configure_jwt
    from web.errors import register_error_handlers
    from web.hygiene import init_hygiene, origin_allowed

    db.init_app(app)
    configure_jwt(app, settings)
    jwt.init_app(app)
    limiter.init_app(app)
    init_hygiene(app, settings)
    socketio.init_app(
        app, async_mode=settings.async_mode, message_queue=settings.redis_url,
        channel="flashkeeper-socketio", cors_allowed_origins=origin_allowed(settings),
        max_http_buffer_size=settings.socket_max_message_bytes, manage_session=False,
        cookie=None, logger=False, engineio_logger=False)
    register_error_handlers(app)

    standin_secret = None
    if settings.oauth_standin:
        from web.oauth_standin import init_standin

        standin_secret = init_standin(app, settings)
        log.warning("stand-in OAuth provider enabled at %s/standin (demo/test only)",
                    settings.public_url)

    from web.api import bp as api_bp
    from web.auth.oauth import init_oauth
    from web.auth.views import bp as auth_bp
    from web.live.runtime import LiveRuntime
    from web.spa import init_spa

    init_oauth(app, settings, standin_secret)
    app.register_blueprint(auth_bp)
    app.register_blueprint(api_bp)
    init_spa(app, settings.frontend_dist)
    _check_declarations(app)

    runtime = LiveRuntime(app, settings)
    app.extensions["flashkeeper_live"] = runtime
    runtime.start()
    return app


def _check_declarations(app: Flask) -> None:
    from web.api.openapi import routes

    missing = [rule.rule for rule, meta in routes(app) if meta is None]
    if missing:
        raise UndeclaredRoute(missing)
