"""`flashkeeper world`: deploy the local world onto a running node and write the manifest."""

from __future__ import annotations

from pathlib import Path

import click

from keeper.chain.node_check import connect, require_dev_chain
from keeper.config import KeeperSettings
from keeper.errors import FlashkeeperError
from keeper.manifest import save_manifest


@click.command("world")
@click.option("--rpc-url", default=None, help="node with unlocked accounts (default: settings)")
@click.option("--out", "out", type=click.Path(path_type=Path), default=None,
              help="manifest path (default: settings.manifest)")
def world(rpc_url: str | None, out: Path | None) -> None:
    """Deploy WETH9, tokens, Uniswap V2 x2, Uniswap V3, Balancer V2 and feeds from npm bytecode."""
    from keeper.world.deploy import deploy_world

    settings = KeeperSettings()
    try:
        w3 = connect(rpc_url or settings.rpc_url)
        require_dev_chain(w3, "the world deploys test tokens")
        manifest = deploy_world(w3, w3.eth.accounts[0])
    except FlashkeeperError as e:
        raise click.ClickException(str(e)) from e
    path = out or settings.manifest
    save_manifest(manifest, path)
    click.echo(f"world deployed: {len(manifest.tokens)} tokens, {len(manifest.pools)} pools "
               f"-> {path}")
