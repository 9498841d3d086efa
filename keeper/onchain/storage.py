"""Where proxies and contracts keep things: ERC-1967's implementation slot, and ERC-7201's
namespaced storage (each contract's STORAGE_LOCATION)."""

from __future__ import annotations

from eth_utils import keccak, to_checksum_address

# ERC-1967: bytes32(uint256(keccak256("eip1967.proxy.implementation")) - 1)
IMPLEMENTATION_SLOT = int.from_bytes(keccak(b"eip1967.proxy.implementation"), "big") - 1


def slot_address(word: bytes) -> str:
    """The address in a storage word's low 20 bytes, as a proxy reads the implementation slot
    (the executor keeps its flags in the 12 above)."""
    return to_checksum_address(bytes(word)[-20:].rjust(20, b"\0"))


def erc7201_location(namespace: str) -> bytes:
    """keccak256(abi.encode(uint256(keccak256(namespace)) - 1)) & ~bytes32(uint256(0xff))"""
    inner = (int.from_bytes(keccak(text=namespace), "big") - 1).to_bytes(32, "big")
    return (int.from_bytes(keccak(inner), "big") & ~0xFF).to_bytes(32, "big")
