"""Pack a detected route into the executor's calldata format.

startToken (20 bytes) | per hop: factory (20) | initCodeHash (32) | tokenOut (20) |
fee (uint24, V3 pools; 0 for V2). The executor derives each pool from these (CREATE2) and
trades only where the registry lists that (factory, init-code hash), so a route cannot name a
foreign pool.
"""

from __future__ import annotations

from keeper.detect.opportunity import Opportunity
from keeper.manifest import Manifest

SOURCES = {"balancer": 0, "uniswap-v3-flash": 1, "uniswap-v2-flashswap": 2, "aave-v3": 3,
           "uniswap-v2-flashswap-last": 4}
CHECK_DEVIATION = 0x80  # OR-ed into the source: hold every hop against the oracles' bounds


def source_code(flash_source: str, check_deviation: bool = False) -> int:
    """The executor's `source` argument for a flash source name."""
    return SOURCES[flash_source] | (CHECK_DEVIATION if check_deviation else 0)


def _b(address: str) -> bytes:
    return bytes.fromhex(address[2:])


def encode_route(opportunity: Opportunity, manifest: Manifest) -> bytes:
    dex_of = {p.address: manifest.dex(p.dex) for p in manifest.pools}
    out = _b(opportunity.start_token)
    for hop in opportunity.route:
        dex = dex_of[hop.pool]
        if not dex.init_code_hash:
            raise ValueError(f"DEX {dex.id} has no init-code hash: its pools cannot be routed")
        fee = hop.fee if hop.kind == "uniswap_v3" else 0
        out += (_b(dex.factory) + _b(dex.init_code_hash) + _b(hop.token_out)
                + fee.to_bytes(3, "big"))
    return out
