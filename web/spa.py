"""The built front end (web/frontend/dist): files as they are, index.html for every other
non-API path (client-side routing), or a short notice when it has not been built."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, abort, send_from_directory

NOT_BUILT = ("<!doctype html><title>Flashkeeper</title><h1>Flashkeeper</h1>"
             "<p>front end not built: run <code>make frontend</code>. The API is at "
             "<a href=\"/api/openapi.json\">/api/openapi.json</a>.</p>")
RESERVED = ("api/", "auth/", "socket.io/", "standin/")


def init_spa(app: Flask, dist: Path) -> None:
    bp = Blueprint("spa", __name__)
    index = dist / "index.html"

    @bp.get("/", defaults={"path": ""})
    @bp.get("/<path:path>")
    def serve(path: str):  # type: ignore[no-untyped-def]
        if path.startswith(RESERVED):
            abort(404)
        if not index.is_file() or index.stat().st_size < 64:  # the placeholder `make` writes
            return NOT_BUILT, 200, {"Content-Type": "text/html; charset=utf-8"}
        if path and (dist / path).is_file():
            response = send_from_directory(dist, path)
            if path.startswith("assets/"):  # Vite names them by content hash
                response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
            return response
        response = send_from_directory(dist, "index.html")
        response.headers["Cache-Control"] = "no-cache"
        return response

    app.register_blueprint(bp)
