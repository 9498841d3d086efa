"""The keeper inside the web process (`flashkeeper web --with-keeper`): the embedded default of
the architecture, where the two share the in-process bus and nothing else has to run. At scale
they are separate processes publishing through Redis instead."""

from __future__ import annotations

import asyncio
import logging
import threading

log = logging.getLogger("flashkeeper.web")


class EmbeddedKeeper:
    def __init__(self) -> None:
        self.thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None

    def start(self, check_every: int = 100) -> None:
        """Run the keeper daemon on its own event loop in a daemon thread."""
        from keeper.config import KeeperSettings
        from keeper.daemon import Keeper

        keeper = Keeper(KeeperSettings())  # a bad manifest fails here, before serving

        async def main() -> None:
            self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
            await keeper.run(self._stop, check_every=check_every)

        def run() -> None:
            try:
                asyncio.run(main())
            except Exception:
                log.exception("the embedded keeper stopped")

        self.thread = threading.Thread(target=run, name="keeper", daemon=True)
        self.thread.start()
        log.info("keeper running in the web process (in-process bus)")

    def stop(self) -> None:
        if self._loop and self._stop:
            self._loop.call_soon_threadsafe(self._stop.set)
