"""`flashkeeper keeper`: run the keeper daemon until Ctrl-C."""

from __future__ import annotations

import asyncio
import logging
import signal
from pathlib import Path

import click

from keeper.config import KeeperSettings
from keeper.errors import FlashkeeperError


@click.command("keeper")
@click.option("--manifest", "manifest", type=click.Path(path_type=Path), default=None)
@click.option("--rpc-url", default=None)
@click.option("--ws-url", default=None)
@click.option("--check-every", type=int, default=100, help="consistency check every N blocks")
def keeper(manifest: Path | None, rpc_url: str | None, ws_url: str | None,
           check_every: int) -> None:
    """Sync pools, follow the chain over WebSocket, detect and record arbitrage."""
    from keeper.daemon import Keeper

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    overrides = {k: v for k, v in {"manifest": manifest, "rpc_url": rpc_url,
                                   "ws_url": ws_url}.items() if v is not None}
    settings = KeeperSettings(**overrides)
    try:
        k = Keeper(settings)
    except FlashkeeperError as e:
        raise click.ClickException(str(e)) from e

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        # `kill -USR1 <pid>`: a consistency check against the chain after the next block
        loop.add_signal_handler(signal.SIGUSR1, lambda: setattr(k, "check_requested", True))
        await k.run(stop, check_every=check_every)

    try:
        asyncio.run(main())
    except FlashkeeperError as e:  # the node's or the manifest's, found before the first block
        raise click.ClickException(str(e)) from e
    click.echo("keeper stopped")
