"""Test utilities (like flask.testing): users with roles, tokens, a real HTTP server. Used by
tests/web and the ws benchmark; nothing here runs in production."""

from __future__ import annotations

import http.cookiejar
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import requests
from flask import Flask
from werkzeug.serving import make_server

from web.auth.roles import Role
from web.auth.tokens import TokenPair, issue_pair
from web.store.models import User
from web.users import add_user


def base_config(tmp_path: Any, **overrides: Any) -> dict[str, Any]:
    config: dict[str, Any] = {
        "testing": True,
        "database_url": f"sqlite:///{tmp_path / 'web.db'}",
        "oauth_standin": True,
        "rate_login": "1000 per minute",
        "rate_refresh": "1000 per minute",
        "rate_api": "100000 per minute",
        "frontend_dist": tmp_path / "dist",
    }
    config.update(overrides)
    return config


def make_user(app: Flask, login: str, role: Role) -> User:
    with app.app_context():
        return add_user(login, role, provider="standin", email=f"{login}@example.test")


def tokens_for(app: Flask, user: User) -> TokenPair:
    with app.app_context():
        return issue_pair(user)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@contextmanager
def listening() -> Iterator[socket.socket]:
    """A socket listening on a port the kernel picked. An app is told its URL (its port)
    before it serves; `serving` then adopts this socket, so that no other process can take
    the port in between, as one could a port found free and let go."""
    sock = socket.socket()
    try:
        sock.bind(("127.0.0.1", 0))
        sock.listen(128)
        yield sock
    finally:
        sock.close()


def port_of(sock: socket.socket) -> int:
    return int(sock.getsockname()[1])


@contextmanager
def serving(app: Flask, sock: socket.socket) -> Iterator[str]:
    """The app on `sock` (from `listening`), served by Werkzeug, threaded: WebSockets
    included."""
    server = make_server("127.0.0.1", port_of(sock), app, threaded=True, fd=sock.fileno())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port_of(sock)}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


class LocalhostSecurePolicy(http.cookiejar.DefaultCookiePolicy):
    """Browsers treat http://127.0.0.1 as a secure context and send `Secure`/`__Host-`
    cookies there; Python's cookie jar does not, so the tests' HTTP client does what the
    browser does."""

    def return_ok_secure(self, cookie: http.cookiejar.Cookie, request: Any) -> bool:
        return True


class LocalhostBrowser(requests.Session):
    """A requests session that keeps and sends Secure cookies on http://127.0.0.1."""

    def __init__(self) -> None:
        super().__init__()
        self.cookies.set_policy(LocalhostSecurePolicy())

    def prepare_request(self, request: requests.Request) -> requests.PreparedRequest:
        prepared = super().prepare_request(request)
        # requests merges the session's cookies into a jar with the default policy: redo it
        jar = requests.cookies.RequestsCookieJar()
        jar.set_policy(LocalhostSecurePolicy())
        for cookie in self.cookies:
            jar.set_cookie(cookie)
        prepared.headers.pop("Cookie", None)
        prepared.prepare_cookies(jar)
        return prepared
