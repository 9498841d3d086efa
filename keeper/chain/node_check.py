"""Checks a process makes of the node before it relies on it: that one answers, that it is a
development chain where test tokens are minted, and that the manifest describes it. Each
failure is one clear error (ConfigError, NodeError) instead of a traceback from the first
call that trips on it."""

from __future__ import annotations

from web3 import Web3

from keeper.chain.http import http_web3, shown_url
from keeper.errors import ConfigError, ManifestMismatchError, NodeError
from keeper.manifest import Manifest

# anvil's and hardhat's chain ids: where the world and the market may mint test tokens
DEV_CHAIN_IDS = (31337, 1337)


def connect(url: str, timeout: float = 60) -> Web3:
    """A Web3 on `url` whose node has answered; NodeError otherwise."""
    w3 = http_web3(url, timeout=timeout)
    ensure_answers(w3, url)
    return w3


def ensure_answers(w3: Web3, url: str) -> None:
    """NodeError unless the node behind `w3` (at `url`) answers a request (its chain id). The
    URL is shown without its path, which carries a hosted node's API key."""
    try:
        w3.eth.chain_id  # noqa: B018 (the request is the point)
    except Exception as e:  # refused, timed out, not JSON-RPC: all mean no usable node
        raise NodeError(f"no node answers at {shown_url(url)} ({type(e).__name__})") from None


def not_dev_chain(why: str, chain_id: int) -> ConfigError:
    """The refusal of a command that only makes sense on a development chain (`why`)."""
    return ConfigError(f"{why}: development chains only (ape's local networks, or chain id "
                       f"{' or '.join(map(str, DEV_CHAIN_IDS))}), this node is chain {chain_id}")


def require_dev_chain(w3: Web3, why: str) -> None:
    chain_id = w3.eth.chain_id
    if chain_id not in DEV_CHAIN_IDS:
        raise not_dev_chain(why, chain_id)


def system_contracts(manifest: Manifest) -> list[tuple[str, str]]:
    """(name, address) of each Flashkeeper contract the manifest names."""
    s = manifest.system
    named = [("DexRegistry", s.dex_registry), ("PriceFeedRegistry", s.price_feed_registry),
             ("FlashArbExecutor", s.executor)]
    return [(name, address) for name, address in named if address]


def world_contracts(manifest: Manifest, system: bool = False) -> list[tuple[str, str]]:
    """(what, address) of every contract the manifest says the node holds; with `system`,
    also the Flashkeeper contracts it names (deploy checks without: it creates them)."""
    named = [("WETH", manifest.weth)]
    if system:
        named += system_contracts(manifest)
    named += [(f"DEX {d.id}'s factory", d.factory) for d in manifest.dexes]
    named += [(f"token {t.symbol}", t.address) for t in manifest.tokens]
    named += [(f"{t.symbol}'s feed", t.feed) for t in manifest.tokens if t.feed]
    named += [("Balancer vault", manifest.balancer_vault), ("Aave pool", manifest.aave_pool)]
    return [(what, address) for what, address in named if address]


def check_manifest_on_node(w3: Web3, manifest: Manifest, system: bool = False) -> None:
    """The manifest was written for this node: its chain id, and its contracts (with
    `system`, Flashkeeper's too) have code; a manifest of the same chain id but another node,
    such as a throwaway anvil's, has none."""
    chain_id = w3.eth.chain_id
    if manifest.chain_id != chain_id:
        raise ManifestMismatchError(f"manifest is for chain {manifest.chain_id}, connected to "
                                    f"{chain_id}")
    for what, address in world_contracts(manifest, system):
        if not w3.eth.get_code(Web3.to_checksum_address(address)):
            raise ManifestMismatchError(
                f"the manifest's {what} ({address}) has no code on chain {chain_id}: deploy "
                "the world on this node first, or pass the manifest written for it")
