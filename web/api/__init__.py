"""The REST API (/api): every route declares its role with `requires` (or `public`)."""

from __future__ import annotations

from flask import Blueprint, current_app

from web.extensions import limiter

bp = Blueprint("api", __name__, url_prefix="/api")
limiter.limit(lambda: current_app.config["FLASHKEEPER"].rate_api)(bp)

from web.api import admin, controls, market, me, openapi  # noqa: E402  (routes attach to bp)

__all__ = ["admin", "bp", "controls", "market", "me", "openapi"]
