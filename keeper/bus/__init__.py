"""Keeper-to-dashboard event bus.

Publishers (the keeper daemon, the market simulator) call `publish(stream, payload)`; web
processes `subscribe(callback)` and receive `(stream, payload)` for every stream. In-process by
default; Redis pub/sub (channel `flashkeeper:<stream>`) when a Redis URL is configured, so that
any number of keepers and web processes share one bus.
"""

from keeper.bus.base import STREAMS, Bus, BusError, Callback
from keeper.bus.factory import get_bus
from keeper.bus.memory import InProcessBus
from keeper.bus.redis_bus import RedisBus

__all__ = ["STREAMS", "Bus", "BusError", "Callback", "InProcessBus", "RedisBus", "get_bus"]
