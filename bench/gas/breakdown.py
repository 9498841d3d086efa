"""What an execute's gas went to: each contract's own share of the call tree.

Reads anvil's `callTracer` tree. A frame's own share is its gasUsed less its children's; the
caller pays for touching a callee (a cold account, 2,600), so that lands with the caller. The
top frame's share is split into the transaction's intrinsic cost (21,000 plus calldata) and
the executor's remainder, which is also where the refunds of restored slots (the pairs' locks)
are netted out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from keeper.execute.access_list import price


def intrinsic_gas(data: bytes, access_list: Sequence[Mapping[str, Any]] = ()) -> int:
    """21,000 plus 16 per non-zero and 4 per zero calldata byte (no EIP-7623 floor here), plus
    the access list's 2,400 an account and 1,900 a slot."""
    return 21_000 + sum(16 if b else 4 for b in data) + price(access_list)


def own_shares(tree: Mapping[str, Any], label: Callable[[str], str]) -> dict[str, int]:
    """Gas per label: each frame's gasUsed minus its children's, summed over the tree."""
    shares: dict[str, int] = {}

    def walk(frame: Mapping[str, Any], inherited: str | None) -> None:
        calls = frame.get("calls", [])
        own = int(frame["gasUsed"], 16) - sum(int(c["gasUsed"], 16) for c in calls)
        # a DELEGATECALL runs the callee's code on the caller's behalf: the proxy's pass to
        # its implementation is the executor's own work
        key = inherited if frame.get("type") == "DELEGATECALL" and inherited else label(
            frame["to"])
        shares[key] = shares.get(key, 0) + own
        for c in calls:
            walk(c, key)

    walk(tree, None)
    return shares


def breakdown(tree: Mapping[str, Any], data: bytes, label: Callable[[str], str],
              access_list: Sequence[Mapping[str, Any]] = ()) -> dict[str, int]:
    """own_shares with the intrinsic cost taken out of the top frame's share."""
    shares = own_shares(tree, label)
    top = label(tree["to"])
    intrinsic = intrinsic_gas(data, access_list)
    shares[top] -= intrinsic
    what = "21,000 + calldata" + (" + access list" if access_list else "")
    return {f"transaction ({what})": intrinsic, **shares}
