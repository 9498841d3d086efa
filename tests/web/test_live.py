"""Socket.IO /live: bus fan-out in throttled batches, control events, logout disconnects,
Origin check, message size cap (the last two over a real socket)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import socketio as sio
from flask import Flask

from keeper.bus import get_bus
from web.app import create_app
from web.auth.roles import Role
from web.extensions import socketio
from web.testing import base_config, bearer, listening, make_user, port_of, serving, tokens_for


def wait_for(predicate: Callable[[], Any], timeout: float = 5.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    return predicate()


def received(sc: Any, event: str, into: list) -> list:
    into.extend(p for p in sc.get_received("/live") if p["name"] == event)
    return into


def test_bus_items_reach_subscribers_in_batches_without_loss(app: Flask) -> None:
    token = tokens_for(app, make_user(app, "watcher", Role.VIEWER)).access
    sc = socketio.test_client(app, namespace="/live", auth={"token": token})
    other = socketio.test_client(app, namespace="/live", auth={"token": token})
    assert sc.emit("subscribe", {"streams": ["prices"]}, namespace="/live", callback=True)["ok"]
    bus = get_bus(None)
    for i in range(30):  # a burst far above 10 Hz
        bus.publish("prices", {"seq": i, "tokens": [], "pools": []})
    events: list = []
    wait_for(lambda: sum(len(e["args"][0]["items"]) for e in received(sc, "prices", events))
             >= 30)
    seqs = [item["seq"] for e in events for item in e["args"][0]["items"]]
    assert seqs == list(range(30))  # all delivered, in order
    assert len(events) < 30  # coalesced into batches
    assert other.get_received("/live") == []  # not subscribed: nothing
    # the REST API serves the latest value
    r = app.test_client().get("/api/prices", headers=bearer(token))
    assert r.json["tokens"] == [] and r.json["pools"] == []


def test_unsubscribe_stops_delivery(app: Flask) -> None:
    token = tokens_for(app, make_user(app, "quitter", Role.VIEWER)).access
    sc = socketio.test_client(app, namespace="/live", auth={"token": token})
    sc.emit("subscribe", {"streams": ["status", "trades"]}, namespace="/live", callback=True)
    sc.emit("unsubscribe", {"streams": ["status"]}, namespace="/live", callback=True)
    get_bus(None).publish("status", {"ts": time.time()})
    get_bus(None).publish("trades", {"items": [{"id": 1, "pnl_usd": 2.0}]})
    # every packet is kept, whatever its name: a status packet arriving while the test waits
    # for the trades one is exactly the failure this test is about
    got: list = []

    def gather() -> list:
        got.extend(sc.get_received("/live"))
        return got

    wait_for(lambda: any(p["name"] == "trades" for p in gather()))
    time.sleep(0.2)  # the status batch, had it been sent, would be here by now
    gather()
    assert [p["name"] for p in got] == ["trades"]
    assert got[0]["args"][0]["items"] == [{"id": 1, "pnl_usd": 2.0}]


def test_control_changes_are_pushed(app: Flask) -> None:
    viewer = tokens_for(app, make_user(app, "v", Role.VIEWER)).access
    trader = tokens_for(app, make_user(app, "t", Role.TRADER)).access
    sc = socketio.test_client(app, namespace="/live", auth={"token": viewer})
    sc.emit("subscribe", {"streams": ["control"]}, namespace="/live", callback=True)
    assert app.test_client().post("/api/controls/pause", headers=bearer(trader)).status_code \
        == 200
    events = [p for p in sc.get_received("/live") if p["name"] == "control"]
    assert events[0]["args"][0]["items"][0]["controls"]["paused"] is True
    assert events[0]["args"][0]["items"][0]["by"] == "t"


def test_malformed_subscription_is_refused(app: Flask) -> None:
    token = tokens_for(app, make_user(app, "odd", Role.VIEWER)).access
    sc = socketio.test_client(app, namespace="/live", auth={"token": token})
    for bad in (None, "prices", {"streams": ["secrets"]}, {"streams": []},
                {"streams": ["prices"], "x": 1}):
        assert sc.emit("subscribe", bad, namespace="/live", callback=True) == \
            {"ok": False, "error": "invalid_request"}


def test_logout_disconnects_all_of_that_users_sockets(app: Flask) -> None:
    user = make_user(app, "leaver", Role.VIEWER)
    bystander = make_user(app, "stayer", Role.VIEWER)
    a = socketio.test_client(app, namespace="/live", auth={"token": tokens_for(app, user).access})
    b = socketio.test_client(app, namespace="/live", auth={"token": tokens_for(app, user).access})
    c = socketio.test_client(app, namespace="/live",
                             auth={"token": tokens_for(app, bystander).access})
    logout_token = tokens_for(app, user).access
    assert app.test_client().post("/auth/logout", headers=bearer(logout_token)).status_code \
        == 200
    assert wait_for(lambda: not a.is_connected("/live") and not b.is_connected("/live"))
    assert c.is_connected("/live")
    # and the revoked token cannot come back
    again = socketio.test_client(app, namespace="/live", auth={"token": logout_token})
    assert not again.is_connected("/live")


def test_refresh_token_and_expired_token_cannot_connect(app: Flask) -> None:
    from datetime import timedelta

    from flask_jwt_extended import create_access_token

    user = make_user(app, "late", Role.ADMIN)
    pair = tokens_for(app, user)
    assert not socketio.test_client(app, namespace="/live",
                                    auth={"token": pair.refresh}).is_connected("/live")
    with app.app_context():
        expired = create_access_token(identity=str(user.id), expires_delta=timedelta(seconds=-5))
    assert not socketio.test_client(app, namespace="/live",
                                    auth={"token": expired}).is_connected("/live")


@pytest.fixture
def live(tmp_path: Any) -> Iterator[tuple[Flask, str]]:
    with listening() as sock:
        app = create_app(base_config(tmp_path, public_url=f"http://127.0.0.1:{port_of(sock)}",
                                     cors_origins=["https://dash.example.test"],
                                     socket_max_message_bytes=4096))
        with serving(app, sock) as url:
            yield app, url
        app.extensions["flashkeeper_live"].stop()


def _connect(url: str, token: str | None, origin: str) -> sio.Client:
    # websocket-client sends the Origin it is given (a browser sends the page's)
    client = sio.Client(reconnection=False, websocket_extra_options={"origin": origin})
    client.connect(url, namespaces=["/live"], auth={"token": token} if token else None,
                   transports=["websocket"], wait_timeout=2)
    return client


def test_foreign_origins_are_refused(live: tuple[Flask, str]) -> None:
    app, url = live
    token = tokens_for(app, make_user(app, "o", Role.VIEWER)).access
    with pytest.raises(sio.exceptions.ConnectionError):
        _connect(url, token, "https://evil.example")
    for origin in (url, "https://dash.example.test"):  # its own origin and the allow-list
        client = _connect(url, token, origin)
        assert client.connected
        client.disconnect()


def test_unauthenticated_connect_over_the_wire_is_refused(live: tuple[Flask, str]) -> None:
    app, url = live
    with pytest.raises(sio.exceptions.ConnectionError):
        _connect(url, None, url)
    with pytest.raises(sio.exceptions.ConnectionError):
        _connect(url, "forged.token.value", url)
    # the same connection with a real token goes through: the refusals were the token's
    client = _connect(url, tokens_for(app, make_user(app, "wire", Role.VIEWER)).access, url)
    assert client.connected
    client.disconnect()


def test_oversized_messages_close_the_socket(live: tuple[Flask, str]) -> None:
    app, url = live
    token = tokens_for(app, make_user(app, "big", Role.VIEWER)).access
    client = _connect(url, token, url)
    assert client.call("subscribe", {"streams": ["prices"]}, namespace="/live",
                       timeout=5)["ok"]
    client.emit("subscribe", {"streams": ["prices"], "pad": "x" * 10_000}, namespace="/live")
    assert wait_for(lambda: not client.connected)
    client.disconnect()
