"""The keeper inside the web process (`flashkeeper web --with-keeper`): the embedded default of
the architecture, where the two share the in-process bus and nothing else has to run. At scale
they are separate processes publishing through Redis instead."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading

log = logging.getLogger("flashkeeper.web")
# a keeper started before its node tries again, 1 s after the first try, then doubling to 30 s
RETRY_FIRST_S = 1.0
RETRY_MAX_S = 30.0


class EmbeddedKeeper:
    def __init__(self) -> None:
        self.thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._halt = threading.Event()  # stop(), also between retries

    def start(self, check_every: int = 100) -> None:
        """Run the keeper daemon on its own event loop in a daemon thread."""
        from requests.exceptions import ConnectionError as RequestsConnectionError

        from keeper.chain.http import shown_url
        from keeper.config import KeeperSettings
        from keeper.daemon import Keeper
        from keeper.errors import FlashkeeperError, ManifestMismatchError, NodeError

        settings = KeeperSettings()
        first = Keeper(settings)  # a bad manifest fails here, before serving

        async def main(keeper: Keeper) -> None:
            self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
            if self._halt.is_set():  # stop() came while this loop was being made
                return
            await keeper.run(self._stop, check_every=check_every)

        def run() -> None:
            keeper: Keeper | None = first
            delay = RETRY_FIRST_S
            while not self._halt.is_set():
                try:
                    if keeper is None:  # settings and manifest read again: `flashkeeper world`
                        keeper = Keeper(KeeperSettings())  # writes a new manifest
                    asyncio.run(main(keeper))
                    return
                except (NodeError, RequestsConnectionError) as e:  # no node yet, or it went
                    # away during the first sync: the dashboard serves, the keeper waits.
                    # requests' message holds the whole URL (a hosted node's key): not logged
                    reason = e if isinstance(e, NodeError) else (
                        f"no node answers at {shown_url(settings.rpc_url)} ({type(e).__name__})")
                    log.error("the embedded keeper cannot reach the node: %s; retrying in "
                              "%.0f s", reason, delay)
                except ManifestMismatchError as e:  # most often the world is not deployed on
                    # this node yet (the dashboard started first), or the node was restarted:
                    # the next try reads the manifest again and picks up the world deployed
                    log.error("the embedded keeper waits for a manifest that describes its "
                              "node: %s; reading it again in %.0f s", e, delay)
                except FlashkeeperError as e:  # a malformed manifest, a missing build: retrying
                    log.error("the embedded keeper stopped: %s", e)  # won't help
                    return
                except Exception:
                    log.exception("the embedded keeper stopped")
                    return
                finally:  # a keeper whose run began has left the bus: each try gets a new one
                    if keeper is not None:
                        keeper.close()
                    keeper = None
                self._halt.wait(delay)
                delay = min(2 * delay, RETRY_MAX_S)

        self.thread = threading.Thread(target=run, name="keeper", daemon=True)
        self.thread.start()
        log.info("keeper running in the web process (in-process bus)")

    def stop(self) -> None:
        self._halt.set()
        if self._loop and self._stop:
            # the loop of a try that failed is closed: nothing runs there to stop
            with contextlib.suppress(RuntimeError):
                self._loop.call_soon_threadsafe(self._stop.set)
