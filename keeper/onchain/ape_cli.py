"""What the `ape run` scripts share: the manifest option, reading the manifest for the
connected chain, whether that chain is a development node, and who signs there.

Imported by the scripts only, inside an ape session, so ape is imported at call time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from keeper.chain.node_check import DEV_CHAIN_IDS, check_manifest_on_node
from keeper.config import LOCAL_MANIFEST
from keeper.errors import ConfigError
from keeper.manifest import Manifest, load_manifest

manifest_option = click.option(
    "--manifest", "manifest_path", type=click.Path(path_type=Path), default=LOCAL_MANIFEST,
    show_default=True, help="the deployment manifest")


def dev_chain() -> bool:
    """ape's local networks, or a development node reached by URI."""
    from ape import chain

    return chain.provider.network.is_local or chain.chain_id in DEV_CHAIN_IDS


def require_dev_chain(why: str) -> None:
    """A click error unless the connected chain is a development chain."""
    if not dev_chain():
        raise click.ClickException(f"{why}: development chains only (ape's local networks, "
                                   f"or chain id {' or '.join(map(str, DEV_CHAIN_IDS))})")


def read_manifest(path: Path, world: bool = False) -> Manifest:
    """The manifest, if it was written for the connected chain (with `world`, also if the
    world it names is on this node); otherwise a click error (the script exits with its
    message, nothing sent)."""
    from ape import chain

    try:
        manifest = load_manifest(path, chain.chain_id)
        if world:
            check_manifest_on_node(chain.provider.web3, manifest)
    except ConfigError as e:
        raise click.ClickException(str(e)) from e
    return manifest


def signer(alias: str | None) -> Any:
    """Who signs: a test account on a development chain, the keystore account `alias`
    elsewhere (a live network never falls back to a test account)."""
    from ape import accounts

    if dev_chain():
        return accounts.test_accounts[0]
    if alias is None:
        raise click.ClickException("a live network needs --account <keystore alias>")
    try:
        return accounts.load(alias)
    except KeyError:
        raise click.ClickException(f"no keystore account {alias!r} (ape accounts list; "
                                   "ape accounts import <alias>)") from None
