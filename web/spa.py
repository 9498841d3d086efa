"""The built front end (web/frontend/dist): its files as they are, index.html for every other
GET outside the API (client-side routing), or a short notice when it has not been built.

The fallback is a 404 handler rather than a catch-all route, so that a catch-all never answers
for API paths (405s and `Allow` headers stay exact)."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, jsonify, request, send_from_directory
from werkzeug.exceptions import NotFound
from werkzeug.security import safe_join

NOT_BUILT = ("<!doctype html><title>Flashkeeper</title><h1>Flashkeeper</h1>"
             "<p>front end not built: run <code>make frontend</code>. The API is at "
             "<a href=\"/api/openapi.json\">/api/openapi.json</a>.</p>")
RESERVED = ("/api/", "/auth/", "/socket.io/", "/standin/")


def init_spa(app: Flask, dist: Path) -> None:
    index = dist / "index.html"

    def built() -> bool:
        return index.is_file() and index.stat().st_size >= 64  # not the placeholder

    @app.get("/")
    def spa_index():  # type: ignore[no-untyped-def]
        if not built():
            return NOT_BUILT, 200, {"Content-Type": "text/html; charset=utf-8"}
        response = send_from_directory(dist, "index.html")
        response.headers["Cache-Control"] = "no-cache"
        return response

    @app.errorhandler(NotFound)
    def spa_fallback(e: NotFound):  # type: ignore[no-untyped-def]
        path = request.path
        if request.method != "GET" or path.startswith(RESERVED):
            return jsonify(error="not_found", message=e.description), 404
        relative = path.lstrip("/")
        target = safe_join(str(dist), relative) if relative else None
        if target and Path(target).is_file():
            response = send_from_directory(dist, relative)
            if relative.startswith("assets/"):  # Vite names them by content hash
                response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
            return response
        return spa_index()
