"""What the `ape run` scripts share: their command class, the manifest option, reading the
manifest for the connected chain, whether that chain is a development node, and who signs
there.

Imported by the scripts only, inside an ape session, so ape is imported at call time."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import click

from keeper.chain.http import shown_url
from keeper.chain.node_check import DEV_CHAIN_IDS, check_manifest_on_node, not_dev_chain
from keeper.config import LOCAL_MANIFEST
from keeper.errors import ConfigError
from keeper.manifest import Manifest, load_manifest


def node_command() -> type[click.Command]:
    """ape's ConnectedProviderCommand, except that a node it cannot connect to is one line
    (`Error: no node answers at http://host:port ...`, exit 1) instead of ape's traceback, which
    shows every frame under the project folder, the virtual environment's included. The URL
    is shown without its path, which carries a hosted node's key."""
    from ape.cli import ConnectedProviderCommand
    from ape.exceptions import ProviderError

    class NodeCommand(ConnectedProviderCommand):
        connected = False  # the script itself runs only once the provider has connected

        def invoke(self, ctx: click.Context) -> Any:
            try:
                return super().invoke(ctx)
            except ProviderError as e:
                if self.connected:  # the script's own error, not the connection's
                    raise
                raise click.ClickException(_connect_error(ctx, e)) from None

        def _invoke(self, ctx: click.Context, provider: Any = None) -> Any:
            self.connected = True
            return super()._invoke(ctx, provider=provider)

    return NodeCommand


def _connect_error(ctx: click.Context, e: Exception) -> str:
    """Why the command's provider did not connect, in one line: the node it tried (scheme,
    host and port of its URI); or ape's own message where there is no URI to try (a network
    with none configured), which names the network and no URL."""
    from ape.cli.options import NETWORK_META_KEY
    from ape.exceptions import ApeException

    provider = (ctx.meta.get(NETWORK_META_KEY) or {}).get("provider") or ctx.params.get("network")
    try:
        uri = getattr(provider, "uri", None)
    except ApeException:  # ape raises for a network without a URI
        uri = None
    if not isinstance(uri, str) or not uri:  # any URL in ape's words, shortened all the same
        return "cannot connect: " + re.sub(r"[a-z][a-z0-9+.-]*://[^\s'\"]+",
                                           lambda m: shown_url(m.group(0)), str(e))
    return (f"no node answers at {shown_url(uri)} ({type(e).__name__}): start one, or pass "
            "--network")


manifest_option = click.option(
    "--manifest", "manifest_path", type=click.Path(path_type=Path), default=LOCAL_MANIFEST,
    show_default=True, help="the deployment manifest")


def dev_chain() -> bool:
    """ape's local networks, or a development node reached by URI."""
    from ape import chain

    return chain.provider.network.is_local or chain.chain_id in DEV_CHAIN_IDS


def require_dev_chain(why: str) -> None:
    """A click error unless the connected chain is a development chain."""
    from ape import chain

    if not dev_chain():
        raise click.ClickException(str(not_dev_chain(why, chain.chain_id)))


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
