"""A contract's custom-error revert, named: web3 hands back only the raw data
(`0x<selector><args>`), which says nothing to a dashboard user or
an operator reading the keeper's log."""

from __future__ import annotations

import json
from typing import Any

from eth_abi import decode
from eth_utils import abi_to_signature, keccak
from eth_utils.abi import get_abi_input_types

# Solidity's own: a `require`/`revert` with a message (a pair's "UniswapV2: K", bubbled up by
# the executor) and a Panic (an overflow, 0x11)
BUILTIN = [{"type": "error", "name": "Error", "inputs": [{"name": "message", "type": "string"}]},
           {"type": "error", "name": "Panic", "inputs": [{"name": "code", "type": "uint256"}]}]


def named_revert(abi: list[dict[str, Any]], data: Any) -> str | None:
    """`Name(arg, ...)` for revert `data` that matches one of the ABI's errors, or Solidity's
    `Error(string)` and `Panic(uint256)`, else None."""
    if not isinstance(data, str) or not data.startswith("0x") or len(data) < 10:
        return None
    raw = bytes.fromhex(data[2:])
    for entry in (*abi, *BUILTIN):
        if entry.get("type") != "error" or keccak(text=abi_to_signature(entry))[:4] != raw[:4]:
            continue
        try:
            args = decode(get_abi_input_types(entry), raw[4:])
        except Exception:  # a selector clash with malformed arguments: show the name alone
            return entry["name"]
        if entry is BUILTIN[0]:
            return f"Error({json.dumps(args[0])})"
        if entry is BUILTIN[1]:
            return f"Panic({hex(args[0])})"
        return f"{entry['name']}({', '.join(_shown(a) for a in args)})"
    return None


def _shown(value: Any) -> str:
    # a left-aligned name (a DEX id) reads as its text, other bytes as hex
    if isinstance(value, bytes):
        text = value.rstrip(b"\0")
        if text and all(32 < b < 127 for b in text):
            return text.decode()
        return "0x" + value.hex()
    return str(value)
