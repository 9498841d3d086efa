"""Redis pub/sub transport: channel `flashkeeper:<stream>`, JSON payloads. One listener thread
per subscribing process; it reconnects after a Redis outage (messages sent meanwhile are lost,
which is acceptable for latest-value streams)."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import redis

from keeper.bus.base import (
    CHANNEL_PREFIX,
    MAX_PAYLOAD_BYTES,
    STREAMS,
    BusError,
    Callback,
    check_stream,
)

log = logging.getLogger("flashkeeper.bus")


class RedisBus:
    def __init__(self, url: str) -> None:
        self.url = url
        self._redis = redis.Redis.from_url(url)
        self._lock = threading.Lock()
        self._subscribers: list[Callback] = []
        self._listener: threading.Thread | None = None
        self._stop = threading.Event()
        self._ready = threading.Event()

    def publish(self, stream: str, payload: dict[str, Any]) -> None:
        check_stream(stream)
        data = json.dumps(payload, separators=(",", ":"), default=str)
        if len(data) > MAX_PAYLOAD_BYTES:
            raise BusError(f"payload of {len(data)} bytes exceeds {MAX_PAYLOAD_BYTES}", stream)
        try:
            self._redis.publish(CHANNEL_PREFIX + stream, data)
        except redis.RedisError as e:
            raise BusError(f"publish failed: {e}", stream) from e

    def subscribe(self, callback: Callback) -> Callable[[], None]:
        with self._lock:
            self._subscribers.append(callback)
            if self._listener is None:
                self._listener = threading.Thread(target=self._listen, name="redis-bus",
                                                  daemon=True)
                self._listener.start()
        # a publish right after subscribe() returns must not be missed
        self._ready.wait(timeout=5)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._subscribers:
                    self._subscribers.remove(callback)

        return unsubscribe

    def close(self) -> None:
        self._stop.set()
        if self._listener is not None:
            self._listener.join(timeout=2)
        self._redis.close()

    def _listen(self) -> None:
        channels = [CHANNEL_PREFIX + s for s in STREAMS]
        while not self._stop.is_set():
            pubsub = self._redis.pubsub()
            try:
                pubsub.subscribe(*channels)
                # the server's confirmations prove the subscription is live
                pending = len(channels)
                while pending and not self._stop.is_set():
                    message = pubsub.get_message(timeout=0.5)
                    if message is not None and message["type"] == "subscribe":
                        pending -= 1
                self._ready.set()
                while not self._stop.is_set():
                    message = pubsub.get_message(timeout=0.5)
                    if message is not None and message["type"] == "message":
                        self._dispatch(message)
            except redis.RedisError as e:
                log.warning("redis bus connection lost (%s); reconnecting", e)
                time.sleep(1)
            finally:
                pubsub.close()

    def _dispatch(self, message: dict[str, Any]) -> None:
        channel = message["channel"].decode()
        stream = channel.removeprefix(CHANNEL_PREFIX)
        try:
            payload = json.loads(message["data"])
        except (ValueError, TypeError):
            log.warning("dropped a malformed message on %s", channel)
            return
        if not isinstance(payload, dict):
            log.warning("dropped a non-object message on %s", channel)
            return
        with self._lock:
            subscribers = list(self._subscribers)
        for callback in subscribers:
            try:
                callback(stream, payload)
            except Exception:
                log.exception("bus subscriber failed on stream %s", stream)
