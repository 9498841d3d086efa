"""`ape run upgrade <Contract>`: deploy a new implementation, `upgradeToAndCall` the proxy, and
check the ERC-1967 implementation slot.

    ape run upgrade DexRegistry --network ethereum:local:foundry
"""

from pathlib import Path

import click
from ape import accounts, chain, project
from ape.cli import ConnectedProviderCommand, network_option
from eth_utils import keccak

from keeper.manifest import load_manifest

DEFAULT_MANIFEST = Path(__file__).resolve().parents[1] / "deployments" / "local.json"
IMPLEMENTATION_SLOT = int.from_bytes(keccak(b"eip1967.proxy.implementation"), "big") - 1
PROXIES = {"DexRegistry": "dex_registry", "PriceFeedRegistry": "price_feed_registry"}


def _local(network) -> bool:
    """ape's local networks, or a dev node reached by URI (anvil's and hardhat's chain ids)."""
    return network.is_local or chain.chain_id in (31337, 1337)


@click.command(cls=ConnectedProviderCommand)
@network_option()
@click.argument("contract")
@click.option("--implementation", "impl_name", default=None,
              help="contract type of the new implementation (default: CONTRACT)")
@click.option("--manifest", "manifest_path", type=click.Path(path_type=Path),
              default=DEFAULT_MANIFEST)
def cli(contract: str, impl_name: str | None, manifest_path: Path) -> None:
    if contract not in PROXIES:
        raise click.ClickException(f"unknown contract {contract!r}; one of {sorted(PROXIES)}")
    proxy = getattr(load_manifest(manifest_path).system, PROXIES[contract])
    if not proxy:
        raise click.ClickException(f"the manifest has no {contract}: run `ape run deploy`")
    network = chain.provider.network
    if not _local(network):
        click.confirm(f"Upgrade {contract} at {proxy} on {network.choice}?", abort=True)
        raise click.ClickException("live upgrades sign through ape's keystore: not yet wired")
    sender = accounts.test_accounts[0]
    implementation = sender.deploy(getattr(project, impl_name or contract))
    getattr(project, contract).at(proxy).upgradeToAndCall(implementation.address, b"",
                                                          sender=sender)
    slot = int.from_bytes(bytes(chain.provider.get_storage(proxy, IMPLEMENTATION_SLOT)), "big")
    if slot != int(implementation.address, 16):
        raise click.ClickException(f"ERC-1967 slot holds {hex(slot)}, not the new implementation")
    click.echo(f"{contract} at {proxy} now runs {implementation.address}")
