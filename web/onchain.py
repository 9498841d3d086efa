"""Admin transactions to the project's contracts (executor pause/unpause, DEX registry
enable/disable), signed with a key read from the environment at the moment of use and never
stored. Without the key, or without a deployed contract, the action is unavailable (409)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from eth_account import Account
from web3 import Web3
from web3.exceptions import ContractLogicError

from keeper.chain.http import http_web3
from keeper.errors import FlashkeeperError
from keeper.manifest import load_manifest
from keeper.onchain.revert import named_revert
from web.config import WebSettings

GUARDIAN_KEY_ENV = "FLASHKEEPER_GUARDIAN_KEY"  # GUARDIAN_ROLE: pause
ADMIN_KEY_ENV = "FLASHKEEPER_ADMIN_KEY"  # DEFAULT_ADMIN_ROLE: unpause
# CURATOR_ROLE: switch registered DEXes on and off. Never REGISTRAR: a listing decides which
# contracts the executor pays in its callbacks, not a power for a web-facing process
CURATOR_KEY_ENV = "FLASHKEEPER_CURATOR_KEY"
FEED_MANAGER_KEY_ENV = "FLASHKEEPER_FEED_MANAGER_KEY"  # FEED_MANAGER_ROLE: feed changes
RECEIPT_TIMEOUT_S = 30


class OnchainUnavailable(FlashkeeperError):
    """The action needs a key or a contract this deployment does not have."""


class OnchainFailed(FlashkeeperError):
    def __init__(self, action: str, reason: str) -> None:
        super().__init__(f"{action} failed: {reason}")


@dataclass(frozen=True)
class Sent:
    tx_hash: str


def _system_address(settings: WebSettings, field: str) -> str:
    if field == "executor" and settings.executor_address:
        return Web3.to_checksum_address(settings.executor_address)
    try:
        manifest = load_manifest(settings.manifest)
    except FlashkeeperError as e:
        raise OnchainUnavailable(f"no deployment manifest: {e}") from e
    address = getattr(manifest.system, field, None)
    if not address:
        raise OnchainUnavailable(f"the manifest names no {field} contract")
    return address


def _key(*names: str) -> str:
    for name in names:
        value = os.environ.get(name)
        if value:
            return value
    raise OnchainUnavailable(f"no on-chain key configured: set {names[0]} in the web process's "
                             "environment to enable this action")


def send(settings: WebSettings, contract: str, field: str, function: str, args: tuple,
         key_envs: tuple[str, ...]) -> Sent:
    from keeper.world.artifacts import project_artifact  # ape build only needed here

    key = _key(*key_envs)
    address = _system_address(settings, field)
    w3 = http_web3(settings.rpc_url, timeout=10)
    account = Account.from_key(key)
    c = w3.eth.contract(address=address, abi=project_artifact(contract).abi)
    action = f"{contract}.{function}"
    try:
        tx = getattr(c.functions, function)(*args).build_transaction({
            "from": account.address,
            # pending: the account may have transactions in the mempool already
            "nonce": w3.eth.get_transaction_count(account.address, "pending"),
            "chainId": settings.chain_id})
        signed = account.sign_transaction(tx)
        tx_hash = w3.eth.send_raw_transaction(signed.raw_transaction)
        receipt = w3.eth.wait_for_transaction_receipt(tx_hash, timeout=RECEIPT_TIMEOUT_S)
    except FlashkeeperError:
        raise
    except ContractLogicError as e:  # a revert (missing role, already paused): its reason
        named = named_revert(c.abi, e.data)
        raise OnchainFailed(action, named or type(e).__name__ + ": " + str(e)[:200]) from e
    except Exception as e:  # a dead or refusing node
        # only the type: a connection error's text carries the RPC URL's path, and a hosted
        # node's URL holds its API key (https://.../v3/<key>)
        raise OnchainFailed(action, f"the node did not complete it ({type(e).__name__})") from e
    if receipt["status"] != 1:
        raise OnchainFailed(action, "reverted")
    return Sent(tx_hash.to_0x_hex())


def _held(registry: Any, raw_id: bytes) -> bool | None:
    """Whether a registrar disabled the DEX (so a curator key cannot enable it); None from a
    registry deployed before the hold existed, which has no such view."""
    try:
        return bool(registry.functions.held(raw_id).call())
    except (ContractLogicError, ValueError):
        return None


def registry_view(settings: WebSettings) -> dict:
    """The DexRegistry's DEXes and the PriceFeedRegistry's feed of each manifest token, read
    from the chain; the manifest's own list when the chain or the registries are missing."""
    from keeper.onchain.registry import dex_id, registered_dexes
    from keeper.world.artifacts import project_artifact

    try:
        manifest = load_manifest(settings.manifest)
    except FlashkeeperError as e:
        raise OnchainUnavailable(f"no deployment manifest: {e}") from e
    tokens = [t for t in manifest.tokens if not t.hostile]
    dexes = [{"id": d.id, "kind": d.kind.value, "factory": d.factory, "enabled": None,
              "fee_bps": d.fee_bps} for d in manifest.dexes]
    feeds = [{"token": t.address, "symbol": t.symbol, "feed": t.feed, "heartbeat_s": None,
              "max_deviation_bps": None} for t in tokens]
    system = manifest.system
    if not (system.dex_registry and system.price_feed_registry):
        return {"onchain": False, "why": "the manifest names no registries", "dexes": dexes,
                "feeds": feeds}
    w3 = http_web3(settings.rpc_url, timeout=10)
    try:
        registry = w3.eth.contract(address=system.dex_registry,
                                   abi=project_artifact("DexRegistry").abi)
        dexes = [{"id": d.id, "kind": d.kind, "factory": d.factory, "enabled": d.enabled,
                  "fee_bps": d.fee_bps, "held": _held(registry, dex_id(d.id))}
                 for d in registered_dexes(w3, system.dex_registry)]
        c = w3.eth.contract(address=system.price_feed_registry,
                            abi=project_artifact("PriceFeedRegistry").abi)
        for row in feeds:
            aggregator, heartbeat, _decimals, *rest = c.functions.getFeed(row["token"]).call()
            configured = int(aggregator, 16) != 0
            row.update(feed=aggregator if configured else None,
                       heartbeat_s=heartbeat if configured else None,
                       max_deviation_bps=(rest[0] if rest and configured else None))
    except Exception as e:  # a dead node or a registry without code: say so, keep the page
        return {"onchain": False, "why": f"{type(e).__name__}: {str(e)[:160]}",
                "dexes": dexes, "feeds": feeds}
    return {"onchain": True, "why": None, "dexes": dexes, "feeds": feeds}
