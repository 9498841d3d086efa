"""A process of asyncio Socket.IO clients: connect, subscribe to prices, record when each
update arrives. Run by the benchmark in a child process."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

import socketio

CONNECT_CONCURRENCY = 25


@dataclass
class ClientStats:
    seqs: set[int] = field(default_factory=set)
    latencies_ms: list[float] = field(default_factory=list)
    max_batch_rate_hz: float = 0.0
    emits: list[float] = field(default_factory=list)


async def _client(url: str, token: str, stats: ClientStats, ready: asyncio.Semaphore
                  ) -> socketio.AsyncClient:
    client = socketio.AsyncClient(reconnection=False)

    @client.on("prices", namespace="/live")
    async def on_prices(data: dict) -> None:
        now = time.time()
        stats.emits.append(now)
        for item in data.get("items", []):
            stats.seqs.add(item["seq"])
            stats.latencies_ms.append((now - item["t_pub"]) * 1000)

    async with ready:
        await client.connect(url, namespaces=["/live"], auth={"token": token},
                             transports=["websocket"], wait_timeout=30)
        ack = await client.call("subscribe", {"streams": ["prices"]}, namespace="/live",
                                timeout=30)
        if not ack.get("ok"):
            raise RuntimeError(f"subscribe refused: {ack}")
    return client


async def _run(url: str, tokens: list[str], conn: Connection) -> None:
    stats = [ClientStats() for _ in tokens]
    ready = asyncio.Semaphore(CONNECT_CONCURRENCY)
    clients = await asyncio.gather(*[_client(url, t, s, ready) for t, s in
                                     zip(tokens, stats, strict=True)])
    conn.send(("ready", len(clients)))
    while not conn.poll():  # the parent says when publishing (and draining) is over
        await asyncio.sleep(0.1)
    conn.recv()
    await asyncio.gather(*[c.disconnect() for c in clients])
    conn.send(("stats", [(sorted(s.seqs), s.latencies_ms, _max_rate(s.emits))
                         for s in stats]))


def _max_rate(emits: list[float]) -> float:
    """The most emits one client saw within any one second."""
    best, start = 0, 0
    for end, t in enumerate(emits):
        while t - emits[start] >= 1.0:  # half-open window [t - 1 s, t]
            start += 1
        best = max(best, end - start + 1)
    return float(best)


def run_clients(url: str, tokens: list[str], conn: Connection) -> None:
    try:
        asyncio.run(_run(url, tokens, conn))
    except Exception as e:  # reported to the parent, which prints it
        conn.send(("error", f"{type(e).__name__}: {e}"))
