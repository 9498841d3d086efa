"""In-process transport: publishers and subscribers share one Python process (the default)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from keeper.bus.base import Callback, check_stream

log = logging.getLogger("flashkeeper.bus")


class InProcessBus:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: list[Callback] = []

    def publish(self, stream: str, payload: dict[str, Any]) -> None:
        check_stream(stream)
        with self._lock:
            subscribers = list(self._subscribers)
        for callback in subscribers:
            try:
                callback(stream, payload)
            except Exception:  # one broken subscriber must not starve the others
                log.exception("bus subscriber failed on stream %s", stream)

    def subscribe(self, callback: Callback) -> Callable[[], None]:
        with self._lock:
            self._subscribers.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._subscribers:
                    self._subscribers.remove(callback)

        return unsubscribe

    def close(self) -> None:
        with self._lock:
            self._subscribers.clear()
