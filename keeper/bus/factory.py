"""One bus per process and configuration: every caller of `get_bus(url)` shares it."""

from __future__ import annotations

import threading

from keeper.bus.base import Bus
from keeper.bus.memory import InProcessBus
from keeper.bus.redis_bus import RedisBus

_lock = threading.Lock()
_buses: dict[str | None, Bus] = {}


def get_bus(redis_url: str | None = None) -> Bus:
    """The in-process bus without a URL, else the Redis bus for that URL."""
    with _lock:
        bus = _buses.get(redis_url)
        if bus is None:
            bus = RedisBus(redis_url) if redis_url else InProcessBus()
            _buses[redis_url] = bus
        return bus
