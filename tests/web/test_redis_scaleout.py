"""Two real dashboard processes (gunicorn, `flashkeeper web`) sharing a real Redis: Socket.IO
message queue, keeper bus, revocation list. Needs Redis on 127.0.0.1:6379."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
import redis
import requests
import socketio as sio

from keeper.bus import RedisBus
from web.app import create_app
from web.auth.revocation import REDIS_PREFIX, jti_key
from web.auth.roles import Role
from web.testing import base_config, bearer, listening, make_user, port_of, tokens_for

REDIS_URL = "redis://127.0.0.1:6379/0"


def _start(sock: socket.socket, env: dict[str, str], log: Path, worker: str) -> subprocess.Popen:
    """`flashkeeper web` serving on `sock` (from `listening`), which it inherits: a port found
    free and let go could be taken before gunicorn bound it."""
    exe = Path(sys.executable).parent / "flashkeeper"
    with log.open("wb") as out:
        return subprocess.Popen([str(exe), "web", "--fd", str(sock.fileno()), "--threads", "64",
                                 "--worker", worker], env=env, stdout=out,
                                stderr=subprocess.STDOUT, pass_fds=(sock.fileno(),))


def _wait_up(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, log.read_text()[-2000:]
        try:
            if requests.get(f"{url}/api/openapi.json", timeout=5).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass  # still starting (a loaded machine answers late)
        time.sleep(0.2)
    raise AssertionError(f"{url} did not start: {log.read_text()[-2000:]}")


@pytest.fixture
def cluster(tmp_path: Any) -> Iterator[dict[str, Any]]:
    redis.Redis.from_url(REDIS_URL).ping()  # a missing Redis is an error, not a skip
    keys = {"FLASHKEEPER_WEB_SECRET_KEY": secrets.token_urlsafe(48),
            "FLASHKEEPER_WEB_JWT_KEY": secrets.token_urlsafe(48)}
    db_url = f"sqlite:///{tmp_path / 'shared.db'}"
    ports, procs = [], []
    for i in range(2):
        with listening() as sock:
            ports.append(port_of(sock))
            env = {**os.environ, **keys, "FLASHKEEPER_DATABASE_URL": db_url,
                   "FLASHKEEPER_REDIS_URL": REDIS_URL,
                   "FLASHKEEPER_WEB_PUBLIC_URL": f"http://127.0.0.1:{ports[-1]}",
                   "FLASHKEEPER_WEB_FRONTEND_DIST": str(tmp_path / "none")}
            # one process per production worker kind: both must serve and share one queue
            worker = ("gthread", "gevent")[i]
            procs.append((_start(sock, env, tmp_path / f"web{i}.log", worker),
                          tmp_path / f"web{i}.log"))
    urls = [f"http://127.0.0.1:{p}" for p in ports]
    # this process mints tokens with the same key and database (it is not a server)
    minter = create_app(base_config(tmp_path, database_url=db_url,
                                    jwt_key=keys["FLASHKEEPER_WEB_JWT_KEY"],
                                    secret_key=keys["FLASHKEEPER_WEB_SECRET_KEY"],
                                    redis_url=REDIS_URL))
    try:
        for url, (proc, log) in zip(urls, procs, strict=True):
            _wait_up(url, proc, log)
        yield {"urls": urls, "minter": minter}
    finally:
        for proc, _ in procs:
            proc.terminate()
        for proc, _ in procs:
            proc.wait(timeout=15)
        minter.extensions["flashkeeper_live"].stop()


def _socket(url: str, token: str, events: dict[str, list]) -> sio.Client:
    client = sio.Client(reconnection=False)
    for name in ("prices", "control"):
        client.on(name, lambda data, name=name: events.setdefault(name, []).append(data),
                  namespace="/live")
    client.connect(url, namespaces=["/live"], auth={"token": token}, transports=["websocket"],
                   wait_timeout=5)
    assert client.call("subscribe", {"streams": ["prices", "control"]}, namespace="/live",
                       timeout=5)["ok"]
    return client


def _until(predicate: Any, timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not predicate():
        time.sleep(0.05)
    return predicate()


def test_two_web_processes_share_events_through_redis(cluster: dict[str, Any]) -> None:
    a, b = cluster["urls"]
    minter = cluster["minter"]
    viewer = make_user(minter, "watcher", Role.VIEWER)
    trader = make_user(minter, "operator", Role.TRADER)
    on_a: dict[str, list] = {}
    on_b: dict[str, list] = {}
    client_a = _socket(a, tokens_for(minter, viewer).access, on_a)
    client_b = _socket(b, tokens_for(minter, viewer).access, on_b)
    try:
        # a control change made through process A reaches B's client (message queue)
        r = requests.post(f"{a}/api/controls/pause", headers=bearer(tokens_for(minter,
                                                                                trader).access))
        assert r.status_code == 200
        assert _until(lambda: on_b.get("control"))
        assert on_b["control"][0]["items"][0]["controls"]["paused"] is True
        assert requests.get(f"{b}/api/controls", headers=bearer(
            tokens_for(minter, viewer).access)).json()["paused"] is True
        # the keeper publishes once on the Redis bus: both processes deliver it
        keeper = RedisBus(REDIS_URL)
        keeper.publish("prices", {"ts": time.time(), "tokens": [{"symbol": "WETH",
                                                                  "address": "0x1",
                                                                  "price_usd": 3000.0}],
                                  "pools": []})
        assert _until(lambda: on_a.get("prices") and on_b.get("prices"))
        assert on_b["prices"][0]["items"][0]["tokens"][0]["price_usd"] == 3000.0
        time.sleep(0.5)  # an echo, had there been one, would have arrived by now
        assert len(on_a["prices"]) == len(on_b["prices"]) == 1  # once each, no echo
        keeper.close()
        # logout at A: the user's socket at B closes, the token is refused at B too
        token = tokens_for(minter, viewer).access
        assert requests.post(f"{a}/auth/logout", headers=bearer(token)).status_code == 200
        # revoked in Redis itself: both processes also share one SQLite file, so B's 401
        # alone would not show which list refused it
        jti = jwt.decode(token, options={"verify_signature": False})["jti"]
        assert redis.Redis.from_url(REDIS_URL).exists(f"{REDIS_PREFIX}{jti_key(jti)}") == 1
        assert _until(lambda: not client_b.connected and not client_a.connected)
        assert requests.get(f"{b}/api/me", headers=bearer(token)).status_code == 401
    finally:
        client_a.disconnect()
        client_b.disconnect()
