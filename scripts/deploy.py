"""`ape run deploy`: DexRegistry, PriceFeedRegistry and FlashArbExecutor behind ERC-1967
proxies (each initialized in its deploying transaction), the manifest's DEXes and feeds
registered, the executor following the registry, EXECUTOR_ROLE granted to the keeper and
the DexRegistry's CURATOR_ROLE to the dashboard's key.

    ape run deploy --network ethereum:local:foundry
    ape run deploy --network <ecosystem:network:provider or URL> --account <keystore alias> \\
        [--keeper <address>] [--curator <address>]

Writes the proxies' addresses into the manifest's `system` section. On a non-local network it
needs a keystore account (`ape accounts import <alias>`), shows what it will send and asks
once; the account is unlocked for that batch only (APE_ACCOUNTS_<alias>_PASSPHRASE or a
prompt) and every transaction is signed in ape's keystore.
"""

from pathlib import Path

import click
from ape import accounts, chain
from ape.cli import ConnectedProviderCommand, network_option

from keeper.errors import ConfigError
from keeper.manifest import load_manifest, save_manifest
from keeper.onchain.ape_signer import ape_submit, unlocked
from keeper.onchain.deploy_system import deploy_system

DEFAULT_MANIFEST = Path(__file__).resolve().parents[1] / "deployments" / "local.json"
LIVE_RECEIPT_TIMEOUT_S = 600


def _local(network) -> bool:
    """ape's local networks, or a dev node reached by URI (anvil's and hardhat's chain ids)."""
    return network.is_local or chain.chain_id in (31337, 1337)


@click.command(cls=ConnectedProviderCommand)
@network_option()
@click.option("--account", "alias", default=None,
              help="keystore alias (`ape accounts list`); local networks use a test account")
@click.option("--keeper", default=None, help="address granted EXECUTOR_ROLE on the executor")
@click.option("--curator", default=None,
              help="address granted CURATOR_ROLE on the DexRegistry (the dashboard's DEX switch)")
@click.option("--manifest", "manifest_path", type=click.Path(path_type=Path),
              default=DEFAULT_MANIFEST)
def cli(alias: str | None, keeper: str | None, curator: str | None, manifest_path: Path) -> None:
    try:
        manifest = load_manifest(manifest_path, chain.chain_id)
    except ConfigError as e:
        raise click.ClickException(str(e)) from e
    network = chain.provider.network
    w3 = chain.provider.web3
    if _local(network):
        admin = accounts.test_accounts[0].address
        updated = deploy_system(w3, manifest, admin=admin, keeper=keeper, curator=curator)
    else:
        if alias is None:
            raise click.ClickException("a live network needs --account <keystore alias>")
        account = accounts.load(alias)
        feeds = sum(1 for t in manifest.tokens if t.feed and not t.hostile)
        click.echo(f"Network {network.choice} (chain {chain.chain_id}), sender "
                   f"{account.address}, balance {account.balance / 1e18:.4f} ETH.\n"
                   f"Will deploy DexRegistry, PriceFeedRegistry and FlashArbExecutor (3 "
                   f"implementations + 3 proxies), register {len(manifest.dexes)} DEXes and "
                   f"{feeds} feeds, sync the executor"
                   + (f", grant EXECUTOR_ROLE to {keeper}" if keeper else "")
                   + (f", grant CURATOR_ROLE to {curator}" if curator else "") + ".")
        click.confirm("Send these transactions?", abort=True)
        with unlocked(account):
            updated = deploy_system(w3, manifest, admin=account.address, keeper=keeper,
                                    curator=curator, submit=ape_submit(account),
                                    timeout=LIVE_RECEIPT_TIMEOUT_S, progress=click.echo)
    save_manifest(updated, manifest_path)
    s = updated.system
    click.echo(f"DexRegistry {s.dex_registry}, PriceFeedRegistry {s.price_feed_registry}, "
               f"FlashArbExecutor {s.executor} -> {manifest_path}")
