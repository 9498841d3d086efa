"""Which of the accounts and slots a transaction touches are worth an EIP-2930 access list.

The prices (EIP-2929, EIP-2930): an account's first touch costs 2,600 cold and 100 warm, a
slot's first read 2,100 cold and 100 warm, and listing costs 2,400 an account and 1,900 a
slot. So every listed account and slot the transaction touches saves 100, where it would have
been cold; a slot first touched by a write saves 200 (a cold SSTORE pays 2,100 on top of its
price, a listed one nothing), which `saving` leaves out: it is a floor.

The one that matters most: the executor lives behind an ERC-1967 proxy, whose DELEGATECALL
touches the implementation cold (2,600) on every call. Listed, that costs 2,500, which is what
takes the proxy's overhead on the V2 -> V2 execute from 3,070 to 2,970 (bench-gas).

Some accounts are warm before the transaction runs, and listing them buys nothing for the
account itself (EIP-2929: the sender and the recipient, the precompiles; EIP-3651: the block's
coinbase). Their slots still save 100 each, against 2,400 for the entry, so such an entry is
kept only when it has more than 24 slots: the executor's own, the transaction's recipient,
reads a handful, and is left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

ACCOUNT_LISTED = 2_400
SLOT_LISTED = 1_900
SAVED_PER_ITEM = 100  # 2,600 - 2,400 - 100 for an account, 2,100 - 1,900 - 100 for a slot

# the precompiles through Osaka: 0x01-0x0a (Cancun), 0x0b-0x11 (Prague's BLS12-381), and
# 0x100 (Osaka's P256VERIFY); warm from the start of every transaction on those forks
PRECOMPILES = frozenset(f"0x{n:040x}" for n in (*range(1, 0x12), 0x100))


@dataclass(frozen=True, slots=True)
class AccessEntry:
    address: str  # lower case
    storage_keys: tuple[str, ...]  # 0x-prefixed 32-byte hex, lower case

    def to_rpc(self) -> dict[str, Any]:
        return {"address": self.address, "storageKeys": list(self.storage_keys)}


def from_rpc(raw: Sequence[Mapping[str, Any]]) -> tuple[AccessEntry, ...]:
    """A node's access list (eth_createAccessList's `accessList`) as entries; entries for the
    same account are merged and slots deduplicated, in the order first seen."""
    merged: dict[str, dict[str, None]] = {}
    for item in raw:
        address = str(item["address"]).lower()
        keys = merged.setdefault(address, {})
        for key in item.get("storageKeys") or ():
            keys[f"0x{int(str(key), 16):064x}"] = None
    return tuple(AccessEntry(a, tuple(k)) for a, k in merged.items())


def worth_listing(touched: Iterable[AccessEntry], warm: Iterable[str]) -> tuple[AccessEntry, ...]:
    """The entries of `touched` that save gas: every account not in `warm` (with its slots),
    and an account in `warm` only where its slots outweigh the entry's price."""
    already = _warm(warm)
    return tuple(e for e in touched if _saving(e, already) > 0)


def saving(listed: Iterable[AccessEntry], warm: Iterable[str]) -> int:
    """The gas `listed` saves at least, net of its price, where the transaction touches all of
    it (100 an account or slot; a slot first written saves 200)."""
    already = _warm(warm)
    return sum(_saving(e, already) for e in listed)


def _warm(warm: Iterable[str]) -> frozenset[str]:
    return frozenset(a.lower() for a in warm) | PRECOMPILES


def _saving(entry: AccessEntry, warm: frozenset[str]) -> int:
    account = -ACCOUNT_LISTED if entry.address in warm else SAVED_PER_ITEM
    return account + SAVED_PER_ITEM * len(entry.storage_keys)


def price(listed: Iterable[Mapping[str, Any]]) -> int:
    """What a transaction's access list (in its JSON-RPC form) adds to its intrinsic gas."""
    return sum(ACCOUNT_LISTED + SLOT_LISTED * len(e.get("storageKeys") or ()) for e in listed)
