"""Read the DexRegistry: which factories the keeper may trade on."""

from __future__ import annotations

from dataclasses import dataclass

from web3 import Web3

from keeper.world.artifacts import project_artifact


@dataclass(frozen=True)
class RegisteredDex:
    id: str
    kind: int  # 0 UniswapV2, 1 UniswapV3, 2 BalancerV2
    enabled: bool
    fee_bps: int
    factory: str
    router: str
    init_code_hash: str


def dex_id(name: str) -> bytes:
    """A DEX's id as the registry keys it: its name, left-aligned in 32 bytes."""
    raw = name.encode()
    if not 0 < len(raw) <= 32:
        raise ValueError(f"DEX id {name!r} must be 1..32 bytes")
    return raw.ljust(32, b"\0")


def registered_dexes(w3: Web3, registry: str) -> list[RegisteredDex]:
    c = w3.eth.contract(address=registry, abi=project_artifact("DexRegistry").abi)
    out = []
    for raw_id in c.functions.dexIds().call():
        kind, enabled, fee, factory, router, init_hash = c.functions.getDex(raw_id).call()
        out.append(RegisteredDex(raw_id.rstrip(b"\0").decode(), kind, enabled, fee,
                                 Web3.to_checksum_address(factory),
                                 Web3.to_checksum_address(router), "0x" + init_hash.hex()))
    return out


def enabled_factories(w3: Web3, registry: str) -> set[str]:
    return {d.factory for d in registered_dexes(w3, registry) if d.enabled}
