"""`ape run upgrade <Contract>`: deploy a new implementation, `upgradeToAndCall` the proxy, and
check the ERC-1967 implementation slot.

    ape run upgrade DexRegistry --network http://127.0.0.1:8545   (where ape run deploy ran)
    ape run upgrade FlashArbExecutor --network <choice or URL> --account <keystore alias>

On a non-local network it needs a keystore account holding UPGRADER_ROLE, shows the change and
asks once before signing. The executor's new implementation gets the current one's immutables
(registry and vault).
"""

from contextlib import nullcontext
from pathlib import Path

import click
from ape import chain, project
from ape.cli import network_option
from eth_utils import keccak, to_checksum_address

from keeper.manifest import save_manifest
from keeper.onchain.ape_cli import (
    dev_chain,
    manifest_option,
    node_command,
    read_manifest,
    signer,
)
from keeper.onchain.ape_signer import unlocked
from keeper.onchain.storage import IMPLEMENTATION_SLOT, erc7201_location, slot_address

PROXIES = {"DexRegistry": "dex_registry", "PriceFeedRegistry": "price_feed_registry",
           "FlashArbExecutor": "executor"}


def _implementation(proxy: str) -> str:
    """The implementation the proxy runs: its ERC-1967 slot's low 20 bytes."""
    return slot_address(bytes(chain.provider.get_storage(proxy, IMPLEMENTATION_SLOT)))


def _implementation_type(name: str, contract: str, arity: int):
    """The project's contract type `name`, if it can be `contract`'s implementation: it takes
    the constructor arguments carried over and keeps its storage at `contract`'s ERC-7201
    location. Checked before anything is deployed where the node can run the code in a call
    (eth_call with a state override); otherwise on the deployed implementation, as before."""
    try:
        new_type = getattr(project, name)
    except AttributeError:
        raise click.ClickException(f"no contract type {name!r} in this project") from None
    abi = {getattr(item, "name", None): item for item in new_type.contract_type.abi}
    inputs = len(new_type.contract_type.constructor.inputs)
    if "STORAGE_LOCATION" not in abi or "proxiableUUID" not in abi or inputs != arity:
        raise click.ClickException(f"{name} is not an implementation of {contract} (it must be "
                                   f"UUPS, keep its storage at an ERC-7201 location and take "
                                   f"{arity} constructor arguments)")
    if _planted_location(new_type) not in (None, _location(contract)):
        raise click.ClickException(f"{name} keeps its storage elsewhere than {contract}: not an "
                                   "implementation of it (nothing deployed)")
    return new_type


def _location(contract: str) -> bytes:
    return erc7201_location(f"flashkeeper.storage.{contract}")


def _planted_location(new_type) -> bytes | None:
    """STORAGE_LOCATION() of `new_type`'s runtime code, run in a call at an unused address; a
    constant, so the constructor's immutables do not matter. None where the node cannot."""
    code = new_type.contract_type.runtime_bytecode.bytecode
    at = to_checksum_address("0x" + "f1a5" * 10)
    data = keccak(b"STORAGE_LOCATION()")[:4]
    try:
        out = chain.provider.web3.eth.call({"to": at, "data": "0x" + data.hex()}, "latest",
                                           {at: {"code": code}})
    except Exception:  # a node without state overrides: checked once deployed
        return None
    return bytes(out) if len(out) == 32 else None


@click.command(cls=node_command())
@network_option()
@click.argument("contract")
@click.option("--implementation", "impl_name", default=None,
              help="contract type of the new implementation (default: CONTRACT)")
@click.option("--account", "alias", default=None,
              help="keystore alias with UPGRADER_ROLE; local networks use a test account")
@manifest_option
def cli(contract: str, impl_name: str | None, alias: str | None, manifest_path: Path) -> None:
    if contract not in PROXIES:
        raise click.ClickException(f"unknown contract {contract!r}; one of {sorted(PROXIES)}")
    manifest = read_manifest(manifest_path)
    proxy = getattr(manifest.system, PROXIES[contract])
    if not proxy:
        raise click.ClickException(f"the manifest has no {contract}: run `ape run deploy`")
    network = chain.provider.network
    if not chain.provider.get_code(proxy):
        raise click.ClickException(f"no contract at the manifest's {contract} {proxy} on chain "
                                   f"{chain.chain_id}: deploy the system on this node first "
                                   "(ape run deploy), or pass the manifest written for it")
    current = getattr(project, contract).at(proxy)
    # immutables live in the implementation's code: carry them over
    args = (current.registry(), current.vault()) if contract == "FlashArbExecutor" else ()
    new_type = _implementation_type(impl_name or contract, contract, len(args))
    sender = signer(alias)
    live = not dev_chain()
    if live:
        syncs = (f", then sync the executor's copy of the registry's "
                 f"{len(project.DexRegistry.at(current.registry()).dexIds())} DEXes"
                 if contract == "FlashArbExecutor" else "")
        click.echo(f"Network {network.choice} (chain {chain.chain_id}), sender {sender.address}."
                   f"\nWill deploy a new {new_type.name} implementation and upgrade the "
                   f"{contract} proxy at {proxy} (now {_implementation(proxy)}){syncs}.")
        click.confirm("Send these transactions?", abort=True)
    with unlocked(sender) if live else nullcontext():
        implementation = sender.deploy(new_type, *args)
        # UUPS accepts any UUPS implementation: another contract's would read this proxy's
        # storage through its own layout. Each keeps its fields at its ERC-7201 location,
        # named after the contract (not read from the proxy: one upgraded to the wrong
        # contract by hand must still be repairable)
        if bytes(implementation.STORAGE_LOCATION()) != _location(contract):
            raise click.ClickException(
                f"{new_type.name} keeps its storage elsewhere than {contract}: not an "
                f"implementation of it (nothing upgraded; {implementation.address} deployed)")
        data = b""
        if contract == "FlashArbExecutor":
            registry = project.DexRegistry.at(current.registry())
            dexes = [registry.getDex(dex_id) for dex_id in registry.dexIds()]
            # the executor closes executeV2_e0's flags and execute's gate as it upgrades; a
            # sync run by the upgrade itself rebuilds both and the venue table, so the fast
            # paths have no gap. A V2 DEX's sync always deploys the table (sorted first: kind
            # 0 is UniswapV2); another kind's only while there is none
            factories = [d.factory for d in sorted(dexes, key=lambda d: d.kind != 0)]
            if factories:
                data = current.syncFactory.encode_input(factories[0])
        current.upgradeToAndCall(implementation.address, data, sender=sender)
        if contract == "FlashArbExecutor":
            # the manifest names the executor's implementation (bench-gas runs its code)
            system = manifest.system.model_copy(
                update={"executor_implementation": implementation.address})
            save_manifest(manifest.with_system(system), manifest_path)
            # an implementation may read a newer copy of the registry (the listings keyed by
            # factory and init-code hash): refresh it from the registry for every DEX (the
            # first one was synced by the upgrade's own call)
            for factory in factories[1:]:
                current.syncFactory(factory, sender=sender)
    if (contract == "FlashArbExecutor" and any(d.kind == 0 for d in dexes)
            and int(current.venueTable(), 16) == 0):
        # VenueTableNotLocated: the table's nonce record fell behind (see the README's flags)
        raise click.ClickException("the upgrade's sync left the executor with no venue table: "
                                   "executeV2_e0 is shut, execute carries on")
    if _implementation(proxy) != implementation.address:
        raise click.ClickException(f"ERC-1967 slot holds {_implementation(proxy)}, not the new "
                                   "implementation")
    click.echo(f"{contract} at {proxy} now runs {implementation.address}")
