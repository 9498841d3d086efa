"""Throttled fan-out: at most one emit per stream per period, carrying every item that arrived
since the previous one. Leading edge: an item that finds the stream idle for a full period goes
out at once, so a 10 Hz publisher sees no added delay."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

Emit = Callable[[str, list[dict[str, Any]]], None]


class StreamBatcher:
    def __init__(self, emit: Emit, hz: float, max_items: int) -> None:
        self._emit = emit
        self.period = 1.0 / hz
        self.max_items = max_items
        self.dropped = 0  # items beyond max_items in one period (oldest go first)
        self._cond = threading.Condition()
        self._pending: dict[str, list[dict[str, Any]]] = {}
        self._last: dict[str, float] = {}
        self._stopped = False

    def add(self, stream: str, item: dict[str, Any]) -> None:
        with self._cond:
            items = self._pending.setdefault(stream, [])
            items.append(item)
            if len(items) > self.max_items:
                del items[0]
                self.dropped += 1
            self._cond.notify()

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify()

    def run(self) -> None:
        while True:
            batches = self._next_batches()
            if batches is None:
                return
            for stream, items in batches.items():
                self._emit(stream, items)

    def _next_batches(self) -> dict[str, list[dict[str, Any]]] | None:
        with self._cond:
            while not self._stopped:
                now = time.monotonic()
                due = [s for s in self._pending if now >= self._last.get(s, 0.0) + self.period]
                if due:
                    for s in due:
                        self._last[s] = now
                    return {s: self._pending.pop(s) for s in due}
                timeout = None
                if self._pending:
                    timeout = min(self._last[s] + self.period for s in self._pending) - now
                self._cond.wait(timeout)
            return None
