"""What the web process remembers of the bus: the latest prices/status and recent items."""

from __future__ import annotations

import threading
from collections import deque
from typing import Any

RECENT = 500  # opportunities / trades kept for the REST API


class LiveState:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._latest: dict[str, dict[str, Any]] = {}
        self._recent: dict[str, deque[dict[str, Any]]] = {
            "opportunities": deque(maxlen=RECENT), "trades": deque(maxlen=RECENT)}

    def update(self, stream: str, payload: dict[str, Any]) -> None:
        with self._lock:
            if stream in self._recent:
                items = payload.get("items")
                for item in items if isinstance(items, list) else [payload]:
                    if isinstance(item, dict):
                        self._recent[stream].append(item)
            else:
                self._latest[stream] = payload

    def latest(self, stream: str) -> dict[str, Any] | None:
        with self._lock:
            return self._latest.get(stream)

    def recent(self, stream: str, limit: int) -> list[dict[str, Any]]:
        with self._lock:
            items = list(self._recent[stream])
        return items[-limit:][::-1]  # newest first
