"""`ape run deploy`: DexRegistry, PriceFeedRegistry and FlashArbExecutor behind ERC-1967
proxies (each initialized in its deploying transaction), the manifest's DEXes and feeds
registered, the executor following the registry, EXECUTOR_ROLE granted to the keeper and
the DexRegistry's CURATOR_ROLE to the dashboard's key.

    ape run deploy --network http://127.0.0.1:8545     (a node with the world: ape run world)
    ape run deploy --network <ecosystem:network:provider or URL> --account <keystore alias> \\
        [--keeper <address>] [--curator <address>]

Writes the proxies' addresses into the manifest's `system` section. On a non-local network it
needs a keystore account (`ape accounts import <alias>`), shows what it will send and asks
once; the account is unlocked for that batch only (APE_ACCOUNTS_<alias>_PASSPHRASE or a
prompt) and every transaction is signed in ape's keystore.
"""

from pathlib import Path

import click
from ape import chain
from ape.cli import network_option

from keeper.errors import ConfigError
from keeper.manifest import save_manifest
from keeper.onchain.ape_cli import (
    dev_chain,
    manifest_option,
    node_command,
    read_manifest,
    signer,
)
from keeper.onchain.ape_signer import ape_submit, unlocked
from keeper.onchain.deploy_system import deploy_system, preflight

LIVE_RECEIPT_TIMEOUT_S = 600


@click.command(cls=node_command())
@network_option()
@click.option("--account", "alias", default=None,
              help="keystore alias (`ape accounts list`); local networks use a test account")
@click.option("--keeper", default=None, help="address granted EXECUTOR_ROLE on the executor")
@click.option("--curator", default=None,
              help="address granted CURATOR_ROLE on the DexRegistry (the dashboard's DEX switch)")
@click.option("--redeploy", is_flag=True,
              help="deploy a new system although the manifest names one deployed on this "
                   "chain, and replace its addresses (the old executor keeps what it holds)")
@manifest_option
def cli(alias: str | None, keeper: str | None, curator: str | None, redeploy: bool,
        manifest_path: Path) -> None:
    manifest = read_manifest(manifest_path)
    network = chain.provider.network
    w3 = chain.provider.web3
    try:  # before the prompt: a live run must not find a bad address after its first send
        preflight(w3, manifest, redeploy, keeper=keeper, curator=curator)
    except ConfigError as e:
        raise click.ClickException(str(e)) from e
    account = signer(alias)
    if dev_chain():
        updated = deploy_system(w3, manifest, admin=account.address, keeper=keeper,
                                curator=curator, redeploy=redeploy)
    else:
        feeds = sum(1 for t in manifest.tokens if t.feed and not t.hostile)
        click.echo(f"Network {network.choice} (chain {chain.chain_id}), sender "
                   f"{account.address}, balance {account.balance / 1e18:.4f} ETH.\n"
                   f"Will deploy DexRegistry, PriceFeedRegistry and FlashArbExecutor (3 "
                   f"implementations + 3 proxies), register {len(manifest.dexes)} DEXes and "
                   f"{feeds} feeds, sync the executor"
                   + (f", grant EXECUTOR_ROLE to {keeper}" if keeper else "")
                   + (f", grant CURATOR_ROLE to {curator}" if curator else "") + "."
                   + (f"\nThe manifest's system (executor {manifest.system.executor}) will be "
                      "replaced; the old executor keeps what it holds." if redeploy
                      and manifest.system.executor else ""))
        click.confirm("Send these transactions?", abort=True)
        with unlocked(account):
            updated = deploy_system(w3, manifest, admin=account.address, keeper=keeper,
                                    curator=curator, submit=ape_submit(account),
                                    timeout=LIVE_RECEIPT_TIMEOUT_S, progress=click.echo,
                                    redeploy=redeploy)
    save_manifest(updated, manifest_path)
    s = updated.system
    click.echo(f"DexRegistry {s.dex_registry}, PriceFeedRegistry {s.price_feed_registry}, "
               f"FlashArbExecutor {s.executor} -> {manifest_path}")
