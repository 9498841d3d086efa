"""`ape run withdraw --to <address>`: take the executor's profits out (admin only).

    ape run withdraw --to 0xYou --network http://127.0.0.1:8545     (every token it holds)
    ape run withdraw --to 0xYou --token WETH --amount 1.5 --network <URL> --account <alias>

Everything is checked before anything is sent: the recipient, the tokens, the amounts against
what the executor holds, and that the signer holds DEFAULT_ADMIN_ROLE. On a non-local network
it needs a keystore account, shows the withdrawals and asks once before signing.
"""

from contextlib import nullcontext
from pathlib import Path

import click
from ape import chain
from ape.cli import network_option

from keeper.errors import ConfigError
from keeper.onchain.ape_cli import dev_chain, manifest_option, node_command, read_manifest, signer
from keeper.onchain.ape_signer import ape_submit, unlocked
from keeper.onchain.withdraw import plan_withdrawals, require_admin, send_withdrawals

LIVE_RECEIPT_TIMEOUT_S = 600


@click.command(cls=node_command())
@network_option()
@click.option("--to", "recipient", required=True, help="the address that receives the tokens")
@click.option("--token", "tokens", multiple=True,
              help="symbol or address, repeatable (default: every token of the manifest the "
                   "executor holds)")
@click.option("--amount", default=None,
              help="how much of the one --token, in its units (1.5); default: all it holds")
@click.option("--account", "alias", default=None,
              help="keystore alias (`ape accounts list`); local networks use a test account")
@manifest_option
def cli(recipient: str, tokens: tuple[str, ...], amount: str | None, alias: str | None,
        manifest_path: Path) -> None:
    manifest = read_manifest(manifest_path)
    w3 = chain.provider.web3
    account = signer(alias)
    try:
        to, plan = plan_withdrawals(w3, manifest, recipient, tokens, amount)
        require_admin(w3, manifest, account.address)
    except ConfigError as e:
        raise click.ClickException(str(e)) from e
    if not plan:
        click.echo("the executor holds none of those tokens: nothing to withdraw")
        return
    live = not dev_chain()
    if live:
        click.echo(f"Network {chain.provider.network.choice} (chain {chain.chain_id}), sender "
                   f"{account.address}.\nWill withdraw from the executor "
                   f"{manifest.system.executor} to {to}: "
                   + ", ".join(w.shown() for w in plan) + ".")
        click.confirm("Send these transactions?", abort=True)
    with unlocked(account) if live else nullcontext():
        send_withdrawals(w3, manifest, plan, to, account.address,
                         submit=ape_submit(account) if live else None,
                         timeout=LIVE_RECEIPT_TIMEOUT_S if live else 30.0, progress=click.echo)
    click.echo(f"withdrew {', '.join(w.shown() for w in plan)} -> {to}")
