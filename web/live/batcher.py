"""Throttled fan-out: each emit of a stream carries every item that arrived since the previous
one, and a stream's emits never exceed `hz` sustained.

The limit is GCRA (virtual scheduling): a stream has a theoretical emit time `tat`; a batch
leaves once `now >= tat - tolerance`, and then `tat = max(now, tat) + period`. With tolerance
half a period, a batch may leave up to 50 ms early (at 10 Hz), so at most 11 emits fall in any
one-second window while the sustained rate stays 10 Hz. A strict minimum spacing instead makes
a publisher at exactly the limit's rate pay for every late emit forever: each delay pushes all
later emits back, and the lag ratchets up to a whole period (measured: p50 70 ms, p99 115-170
ms at 500 clients; with GCRA see bench-ws)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

Emit = Callable[[str, list[dict[str, Any]]], None]


class Gcra:
    """The rate rule alone (pure): `due(stream, now)` says whether a batch may leave now,
    `sent(stream, now)` books it, `next_at(stream)` is the earliest time the next may leave."""

    def __init__(self, hz: float, tolerance_periods: float = 0.5) -> None:
        self.period = 1.0 / hz
        self.tolerance = self.period * tolerance_periods
        self._tat: dict[str, float] = {}

    def due(self, stream: str, now: float) -> bool:
        return now >= self.next_at(stream)

    def next_at(self, stream: str) -> float:
        return self._tat.get(stream, float("-inf")) - self.tolerance

    def sent(self, stream: str, now: float) -> None:
        self._tat[stream] = max(now, self._tat.get(stream, now)) + self.period


class StreamBatcher:
    def __init__(self, emit: Emit, hz: float, max_items: int) -> None:
        self._emit = emit
        self.rate = Gcra(hz)
        self.period = self.rate.period
        self.max_items = max_items
        self.dropped = 0  # items beyond max_items in one period (oldest go first)
        self._cond = threading.Condition()
        self._pending: dict[str, list[dict[str, Any]]] = {}
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
                due = [s for s in self._pending if self.rate.due(s, now)]
                if due:
                    for s in due:
                        self.rate.sent(s, now)
                    return {s: self._pending.pop(s) for s in due}
                timeout = None
                if self._pending:
                    timeout = min(self.rate.next_at(s) for s in self._pending) - now
                self._cond.wait(timeout)
            return None
