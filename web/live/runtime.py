"""Wires the bus to the namespace: latest values for REST, throttled fan-out for sockets."""

from __future__ import annotations

import logging
import threading
from typing import Any

from flask import Flask

from keeper.bus import get_bus
from web.config import WebSettings
from web.extensions import socketio
from web.live.batcher import StreamBatcher
from web.live.namespace import NAMESPACE, LiveNamespace
from web.live.state import LiveState

log = logging.getLogger("flashkeeper.live")

FANOUT_STREAMS = ("prices", "opportunities", "trades", "status")
SWEEP_SECONDS = 15.0


class LiveRuntime:
    def __init__(self, app: Flask, settings: WebSettings) -> None:
        self.app = app
        self.state = LiveState()
        self.namespace = LiveNamespace()
        self.batcher = StreamBatcher(self._emit, settings.stream_hz, settings.stream_batch_max)
        self.bus = get_bus(settings.redis_url)
        self._unsubscribe = None
        self._stop = threading.Event()

    def start(self) -> None:
        socketio.on_namespace(self.namespace)
        self._unsubscribe = self.bus.subscribe(self.on_bus)
        socketio.start_background_task(self.batcher.run)
        socketio.start_background_task(self._sweep)

    def stop(self) -> None:
        self._stop.set()
        self.batcher.stop()
        if self._unsubscribe:
            self._unsubscribe()

    def on_bus(self, stream: str, payload: dict[str, Any]) -> None:
        if stream in FANOUT_STREAMS:
            self.state.update(stream, payload)
            # a payload of several records ({"items": [...]}) is flattened into the batch
            items = payload.get("items")
            for item in items if isinstance(items, list) else [payload]:
                if isinstance(item, dict):
                    self.batcher.add(stream, item)
        elif stream == "session":
            user_id = payload.get("user_id")
            if isinstance(user_id, int):
                closed = self.namespace.disconnect_user(user_id)
                log.info("session event %s: closed %d sockets of user %d",
                         payload.get("event"), closed, user_id)

    def _emit(self, stream: str, items: list[dict[str, Any]]) -> None:
        # every web process receives the bus itself: deliver to local clients only
        socketio.server.emit(stream, {"items": items}, to=stream, namespace=NAMESPACE,
                             ignore_queue=True)

    def _sweep(self) -> None:
        while not self._stop.wait(SWEEP_SECONDS):
            try:
                self.namespace.disconnect_expired()
            except Exception:
                log.exception("socket sweep failed")


def live(app: Flask) -> LiveRuntime:
    return app.extensions["flashkeeper_live"]
