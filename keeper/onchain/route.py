"""Pack a detected route into the executor's calldata format.

startToken (20 bytes) | per hop: factory (20) | initCodeHash (32) | tokenOut (20) |
fee (uint24, V3 pools; 0 for V2). The executor derives each pool from these (CREATE2) and
trades only where the registry lists that (factory, init-code hash), so a route cannot name a
foreign pool.
"""

from __future__ import annotations

from collections.abc import Mapping

from eth_utils import keccak

from keeper.detect.opportunity import Opportunity
from keeper.manifest import Dex, Manifest

SOURCES = {"balancer": 0, "uniswap-v3-flash": 1, "uniswap-v2-flashswap": 2, "aave-v3": 3,
           "uniswap-v2-flashswap-last": 4}
CHECK_DEVIATION = 0x80  # OR-ed into the source: hold every hop against the oracles' bounds


def source_code(flash_source: str, check_deviation: bool = False) -> int:
    """The executor's `source` argument for a flash source name."""
    return SOURCES[flash_source] | (CHECK_DEVIATION if check_deviation else 0)


def _b(address: str) -> bytes:
    return bytes.fromhex(address[2:])


def dex_of(manifest: Manifest) -> dict[str, Dex]:
    """Each pool's DEX, by the pool's address."""
    return {p.address: manifest.dex(p.dex) for p in manifest.pools}


def encode_hop(dex: Dex, token_out: str, fee: int) -> bytes:
    """One hop of the packed route: `fee` is the V3 pool's tier, and 0 for a V2 pair (the
    executor refuses a hop whose fee disagrees with its DEX's kind)."""
    if not dex.init_code_hash:
        raise ValueError(f"DEX {dex.id} has no init-code hash: its pools cannot be routed")
    return _b(dex.factory) + _b(dex.init_code_hash) + _b(token_out) + fee.to_bytes(3, "big")


def encode_route(opportunity: Opportunity, manifest: Manifest) -> bytes:
    dexes = dex_of(manifest)
    out = _b(opportunity.start_token)
    for hop in opportunity.route:
        out += encode_hop(dexes[hop.pool], hop.token_out,
                          hop.fee if hop.kind == "uniswap_v3" else 0)
    return out


EXECUTE_V2 = "executeV2_e0(uint256)"  # the packed path follows the head, outside the ABI
EXECUTE_V2_SELECTOR = keccak(text=EXECUTE_V2)[:4]
MAX_UINT112 = (1 << 112) - 1
MAX_DEADLINE = (1 << 31) - 1


def pack_v2_head(amount: int, min_profit: int, deadline_block: int, exact_block: bool) -> int:
    """executeV2_e0's `head`: amount << 144 | minProfit << 32 | exactBlock << 31 | deadline."""
    for name, value, top in (("amount", amount, MAX_UINT112),
                             ("min_profit", min_profit, MAX_UINT112),
                             ("deadline_block", deadline_block, MAX_DEADLINE)):
        if not 0 <= value <= top:
            raise ValueError(f"{name} {value} does not fit executeV2_e0's head (0..{top})")
    return amount << 144 | min_profit << 32 | int(exact_block) << 31 | deadline_block


def execute_v2_calldata(head: int, path: bytes) -> bytes:
    """The whole calldata of FlashArbExecutor.executeV2_e0: selector | head | path."""
    return EXECUTE_V2_SELECTOR + head.to_bytes(32, "big") + path


def encode_v2_path(opportunity: Opportunity, manifest: Manifest,
                   venue_index: Mapping[str, int]) -> bytes:
    """executeV2_e0's `path`: startToken | per hop: venue index (1) | tokenOut (20), the last
    hop's output (the start token) left out. `venue_index` maps a factory to its index in the
    executor's venue table (FlashArbExecutor.venueIndex)."""
    route = opportunity.route
    if not 2 <= len(route) <= 4:
        raise ValueError(f"executeV2_e0 takes 2 to 4 hops, not {len(route)}")
    if any(h.kind != "uniswap_v2" for h in route):
        raise ValueError("executeV2_e0 takes all-V2 routes only")
    tokens = [opportunity.start_token, *(h.token_out for h in route)]
    if any(h.token_in.lower() != t.lower() for h, t in zip(route, tokens, strict=False)) or (
            tokens[-1].lower() != tokens[0].lower()):
        raise ValueError("executeV2_e0 takes cycles: each hop spends the previous one's output "
                         "and the last returns the start token")
    dexes = dex_of(manifest)
    out = _b(opportunity.start_token)
    for i, hop in enumerate(route):
        factory = dexes[hop.pool].factory
        index = venue_index.get(factory)
        if index is None or not 0 <= index <= 255:
            raise ValueError(f"factory {factory} has no one-byte index in the venue table: "
                             f"{index}")
        out += bytes([index])
        if i + 1 < len(route):
            out += _b(hop.token_out)
    return out
