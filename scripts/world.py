"""`ape run world`: deploy the local world (real protocol bytecode) and write the manifest.

Run against a node ape connects to, e.g. `ape run world --network ethereum:local:foundry`
(the world only makes sense on a local chain: it mints test tokens freely).
"""

from pathlib import Path

import click
from ape import accounts, chain
from ape.cli import network_option

from keeper.config import LOCAL_MANIFEST
from keeper.manifest import save_manifest
from keeper.onchain.ape_cli import node_command, require_dev_chain
from keeper.world.deploy import deploy_world


@click.command(cls=node_command())
@network_option()
@click.option("--out", type=click.Path(path_type=Path), default=LOCAL_MANIFEST)
def cli(out: Path) -> None:
    require_dev_chain("the world deploys test tokens")
    deployer = accounts.test_accounts[0].address
    manifest = deploy_world(chain.provider.web3, deployer)
    save_manifest(manifest, out)
    click.echo(f"world: {len(manifest.tokens)} tokens, {len(manifest.pools)} pools -> {out}")
