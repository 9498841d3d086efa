"""`ape run world`: deploy the local world (real protocol bytecode) and write the manifest.

Run against a node ape connects to, e.g. `ape run world --network ethereum:local:foundry`
(the world only makes sense on a local chain: it mints test tokens freely).
"""

from pathlib import Path

import click
from ape import accounts, chain
from ape.cli import ConnectedProviderCommand, network_option

from keeper.manifest import save_manifest
from keeper.world.deploy import deploy_world

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "deployments" / "local.json"


@click.command(cls=ConnectedProviderCommand)
@network_option()
@click.option("--out", type=click.Path(path_type=Path), default=DEFAULT_OUT)
def cli(out: Path) -> None:
    if not chain.provider.network.is_local:
        raise click.ClickException("the world deploys test tokens: local networks only")
    deployer = accounts.test_accounts[0].address
    manifest = deploy_world(chain.provider.web3, deployer)
    save_manifest(manifest, out)
    click.echo(f"world: {len(manifest.tokens)} tokens, {len(manifest.pools)} pools -> {out}")
