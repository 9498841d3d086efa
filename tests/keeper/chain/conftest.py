"""A keeper running in a background thread against its own anvil + world, and a TCP proxy that
tests cut to drop the keeper's WebSocket."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from keeper.bus import InProcessBus
from keeper.config import KeeperSettings
from keeper.daemon import Keeper
from keeper.world.local import LocalWorld, start_world


class TcpProxy:
    """127.0.0.1:port -> target port; `cut()` closes the listener and every connection, and
    `start()` again listens on the same port (the node is back at its URL)."""

    def __init__(self, target_port: int) -> None:
        self.port = 0  # the kernel's pick at the first start, kept for the restarts
        self.target = target_port
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.server: asyncio.AbstractServer | None = None
        self.writers: set[asyncio.StreamWriter] = set()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(Exception):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_r, up_w = await asyncio.open_connection("127.0.0.1", self.target)
        self.writers |= {writer, up_w}
        await asyncio.gather(self._pipe(reader, up_w), self._pipe(up_r, writer))

    def start(self) -> None:
        async def go() -> None:
            self.server = await asyncio.start_server(self._handle, "127.0.0.1", self.port,
                                                     reuse_address=True)
            self.port = self.server.sockets[0].getsockname()[1]
        asyncio.run_coroutine_threadsafe(go(), self.loop).result(5)

    def cut(self) -> None:
        async def stop() -> None:
            if self.server:
                self.server.close()
            for w in self.writers:
                w.transport.abort()
            self.writers.clear()
        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(5)

    def close(self) -> None:
        self.cut()
        self.loop.call_soon_threadsafe(self.loop.stop)


class RunningKeeper:
    def __init__(self, world: LocalWorld, ws_url: str, db_path: Path) -> None:
        settings = KeeperSettings(rpc_url=world.anvil.http_url, ws_url=ws_url,
                                  database_url=f"sqlite:///{db_path}")
        # its own bus: what it publishes for the dashboard, recorded for the tests
        self.bus = InProcessBus()
        self.published: list[tuple[str, dict]] = []
        self.bus.subscribe(lambda stream, payload: self.published.append((stream, payload)))
        self.keeper = Keeper(settings, manifest=world.manifest, bus=self.bus)
        self.loop = asyncio.new_event_loop()
        self.stop_event = asyncio.Event()
        self.thread = threading.Thread(
            target=lambda: self.loop.run_until_complete(self.keeper.run(self.stop_event, 0)),
            daemon=True)
        self.thread.start()

    def wait_for_head(self, number: int, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.keeper.processed_head == number and self.keeper.store.head == number:
                return
            time.sleep(0.05)
        raise AssertionError(f"keeper head {self.keeper.store.head}, chain at {number}")

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.stop_event.set)
        self.thread.join(15)


@pytest.fixture
def keeper_world(tmp_path: Path) -> Iterator[tuple[LocalWorld, TcpProxy, RunningKeeper]]:
    world = start_world()
    proxy = TcpProxy(world.anvil.port)
    proxy.start()
    running = RunningKeeper(world, f"ws://127.0.0.1:{proxy.port}", tmp_path / "keeper.db")
    try:
        running.wait_for_head(world.w3.eth.block_number)
        yield world, proxy, running
    finally:
        running.stop()
        proxy.close()
        world.stop()


def port_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0
