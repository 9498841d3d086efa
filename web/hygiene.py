"""Security headers, CORS allow-list, body size cap, proxy trust."""

from __future__ import annotations

from flask import Flask, Response
from werkzeug.middleware.proxy_fix import ProxyFix

from web.config import WebSettings
from web.extensions import cors

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",  # MUI (emotion) injects style elements at run time
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",  # the Socket.IO websocket is same-origin
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def init_hygiene(app: Flask, settings: WebSettings) -> None:
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    if settings.proxy_hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.proxy_hops,  # type: ignore[method-assign]
                                x_proto=settings.proxy_hops, x_host=settings.proxy_hops)
    origins = settings.cors_origins
    resources = {r"/api/*": {"origins": origins}, r"/auth/*": {"origins": origins}}
    cors.init_app(app, resources=resources, supports_credentials=True,
                  allow_headers=["Content-Type", "Authorization", "X-CSRF-TOKEN"],
                  methods=["GET", "POST", "PUT", "DELETE"], max_age=600)

    @app.after_request
    def _headers(response: Response) -> Response:
        h = response.headers
        h.setdefault("Content-Security-Policy", CSP)
        h.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
        h.setdefault("X-Frame-Options", "DENY")
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("Referrer-Policy", "same-origin")
        h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        h.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if response.mimetype == "application/json":
            h.setdefault("Cache-Control", "no-store")
        return response


def origin_allowed(settings: WebSettings):  # type: ignore[no-untyped-def]
    """Socket.IO's Origin check: the app's own origin and the CORS allow-list, nothing else."""
    allowed = {settings.public_url, *settings.cors_origins}

    def check(origin: str, environ: dict) -> bool:
        scheme = environ.get("HTTP_X_FORWARDED_PROTO" if settings.proxy_hops else "",
                             environ.get("wsgi.url_scheme", "http"))
        host = environ.get("HTTP_X_FORWARDED_HOST" if settings.proxy_hops else "",
                           environ.get("HTTP_HOST", ""))
        return origin in allowed or origin == f"{scheme}://{host}"

    return check
