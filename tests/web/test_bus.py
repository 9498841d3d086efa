"""keeper/bus: both transports deliver every stream to every subscriber; bad input refused."""

from __future__ import annotations

import threading
import time

import pytest

from keeper.bus import STREAMS, BusError, InProcessBus, RedisBus, get_bus

REDIS_URL = "redis://127.0.0.1:6379/0"


def _collect(bus) -> tuple[list, threading.Event]:  # type: ignore[no-untyped-def]
    got: list = []
    done = threading.Event()

    def on(stream: str, payload: dict) -> None:
        got.append((stream, payload))
        if len(got) >= len(STREAMS):
            done.set()

    return got, done, bus.subscribe(on)  # type: ignore[return-value]


@pytest.mark.parametrize("make", [InProcessBus, lambda: RedisBus(REDIS_URL)],
                         ids=["in-process", "redis"])
def test_every_stream_reaches_every_subscriber(make) -> None:  # type: ignore[no-untyped-def]
    bus = make()
    got1, done1, _ = _collect(bus)
    got2, done2, unsubscribe2 = _collect(bus)
    for i, stream in enumerate(STREAMS):
        bus.publish(stream, {"n": i})
    assert done1.wait(5) and done2.wait(5)
    assert got1 == got2 == [(s, {"n": i}) for i, s in enumerate(STREAMS)]
    unsubscribe2()
    bus.publish("prices", {"n": "after"})
    deadline = time.monotonic() + 5
    while len(got1) <= len(STREAMS) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert got1[-1] == ("prices", {"n": "after"}) and len(got2) == len(STREAMS)
    bus.close()


def test_unknown_stream_is_refused() -> None:
    with pytest.raises(BusError, match="unknown stream"):
        InProcessBus().publish("secrets", {})
    with pytest.raises(BusError, match="unknown stream"):
        RedisBus(REDIS_URL).publish("secrets", {})


def test_oversized_payload_is_refused() -> None:
    with pytest.raises(BusError, match="exceeds"):
        RedisBus(REDIS_URL).publish("prices", {"blob": "x" * (2 << 20)})


def test_a_failing_subscriber_does_not_starve_others() -> None:
    bus = InProcessBus()
    got: list = []
    bus.subscribe(lambda s, p: 1 / 0)
    bus.subscribe(lambda s, p: got.append(p))
    bus.publish("status", {"ok": 1})
    assert got == [{"ok": 1}]


def test_malformed_redis_messages_are_dropped() -> None:
    import redis

    bus = RedisBus(REDIS_URL)
    got: list = []
    bus.subscribe(lambda s, p: got.append((s, p)))
    raw = redis.Redis.from_url(REDIS_URL)
    raw.publish("flashkeeper:prices", b"{not json")
    raw.publish("flashkeeper:prices", b"[1, 2]")
    bus.publish("prices", {"good": True})
    deadline = time.monotonic() + 5
    while not got and time.monotonic() < deadline:
        time.sleep(0.01)
    assert got == [("prices", {"good": True})]
    bus.close()


def test_get_bus_shares_one_bus_per_url() -> None:
    assert get_bus(None) is get_bus(None)
    assert isinstance(get_bus(None), InProcessBus)
    assert isinstance(get_bus(REDIS_URL), RedisBus)
