"""`ape run deploy`: the registries behind ERC-1967 proxies, filled from the manifest.

    ape run deploy --network ethereum:local:foundry --account <alias>   (a keystore account)

Writes the proxies' addresses into the manifest's `system` section. On a non-local network it
shows what it will do and asks before sending anything.
"""

from pathlib import Path

import click
from ape import accounts, chain
from ape.cli import ConnectedProviderCommand, network_option

from keeper.manifest import load_manifest, save_manifest
from keeper.onchain.deploy_system import deploy_system

DEFAULT_MANIFEST = Path(__file__).resolve().parents[1] / "deployments" / "local.json"


def _local(network) -> bool:
    """ape's local networks, or a dev node reached by URI (anvil's and hardhat's chain ids)."""
    return network.is_local or chain.chain_id in (31337, 1337)


@click.command(cls=ConnectedProviderCommand)
@network_option()
@click.option("--account", "alias", default=None,
              help="keystore alias (`ape accounts list`); local networks use a test account")
@click.option("--manifest", "manifest_path", type=click.Path(path_type=Path),
              default=DEFAULT_MANIFEST)
def cli(alias: str | None, manifest_path: Path) -> None:
    manifest = load_manifest(manifest_path)
    network = chain.provider.network
    if manifest.chain_id != chain.chain_id:
        raise click.ClickException(f"manifest is for chain {manifest.chain_id}, "
                                   f"connected to {chain.chain_id}")
    if not _local(network):
        if alias is None:
            raise click.ClickException("a live network needs --account <keystore alias>")
        account = accounts.load(alias)
        click.echo(f"Deploying DexRegistry + PriceFeedRegistry to {network.choice} from "
                   f"{account.address}; registering {len(manifest.dexes)} DEXes and "
                   f"{sum(1 for t in manifest.tokens if t.feed)} feeds.")
        click.confirm("Send these transactions?", abort=True)
        raise click.ClickException("live deployment signs through ape's keystore: not yet "
                                   "wired for non-local networks (see README)")
    sender = accounts.test_accounts[0].address
    updated = deploy_system(chain.provider.web3, manifest, admin=sender)
    save_manifest(updated, manifest_path)
    click.echo(f"DexRegistry {updated.system.dex_registry}, PriceFeedRegistry "
               f"{updated.system.price_feed_registry} -> {manifest_path}")
