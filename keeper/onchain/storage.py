"""ERC-7201 namespaced storage: where each contract keeps its fields (its STORAGE_LOCATION)."""

from __future__ import annotations

from eth_utils import keccak


def erc7201_location(namespace: str) -> bytes:
    """keccak256(abi.encode(uint256(keccak256(namespace)) - 1)) & ~bytes32(uint256(0xff))"""
    inner = (int.from_bytes(keccak(text=namespace), "big") - 1).to_bytes(32, "big")
    return (int.from_bytes(keccak(inner), "big") & ~0xFF).to_bytes(32, "big")
