"""The bus's contract, shared by its two transports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from keeper.errors import FlashkeeperError

# keeper -> dashboard data streams, plus "control" (dashboard -> keeper) and "session"
# (web process -> web processes: a user's sockets must close)
STREAMS: tuple[str, ...] = ("prices", "opportunities", "trades", "status", "control", "session")
CHANNEL_PREFIX = "flashkeeper:"
MAX_PAYLOAD_BYTES = 1 << 20  # a larger message is a bug upstream, not something to fan out

Callback = Callable[[str, dict[str, Any]], None]


class BusError(FlashkeeperError):
    """A stream name or payload the bus refuses, or a transport failure."""

    def __init__(self, reason: str, stream: str | None = None) -> None:
        super().__init__(f"bus: {reason}" + (f" (stream {stream!r})" if stream else ""))
        self.reason = reason
        self.stream = stream


class Bus(Protocol):
    def publish(self, stream: str, payload: dict[str, Any]) -> None: ...

    def subscribe(self, callback: Callback) -> Callable[[], None]:
        """Call `callback(stream, payload)` for every message; returns an unsubscribe."""
        ...

    def close(self) -> None: ...


def check_stream(stream: str) -> None:
    if stream not in STREAMS:
        raise BusError(f"unknown stream; expected one of {', '.join(STREAMS)}", stream)
