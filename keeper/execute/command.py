"""A trade the keeper has decided on, and the executor's calldata for it.

Two entry points carry a trade: `executeV2_e0`, the packed call for an all-V2 cycle lent by
its last pair (no ABI, a one-byte venue index per hop: 10k less gas on V2 -> V2, bench-gas),
and the general `execute` for every other route and flash source. The command picks the
packed one wherever it can carry the trade, so no caller has to know the difference.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from eth_abi import encode
from eth_utils import keccak

from keeper.detect.opportunity import Opportunity
from keeper.manifest import Manifest
from keeper.onchain.route import (
    MAX_DEADLINE,
    SOURCES,
    dex_of,
    encode_route,
    encode_v2_path,
    execute_v2_calldata,
    pack_v2_head,
    source_code,
)

# FlashArbExecutor.execute(source, flashPool, amount, minProfit, deadlineBlock, exactBlock, route)
EXECUTE_TYPES = ("uint8", "address", "uint256", "uint256", "uint256", "bool", "bytes")
EXECUTE_SELECTOR = keccak(text=f"execute({','.join(EXECUTE_TYPES)})")[:4]
ZERO_ADDRESS = "0x" + "00" * 20
# the sources whose lender is named by the call: the others are the route's own pairs, or a
# lender the executor was configured with (the Balancer vault, the admin's Aave pool)
NAMED_LENDER = frozenset({"uniswap-v3-flash"})


@dataclass(frozen=True, slots=True)
class TradeCommand:
    """One opportunity, with what the keeper demands of it on chain.

    `min_profit` is in start-token units, and the executor reverts below it. The call reverts
    after `deadline_block`, or on any other block when `exact_block` (a bundle's target).
    `flash_pool` is the lender for the sources that name one (a V3 pool's `flash`).
    `check_deviation` holds every hop against the price feeds' bounds.
    """

    opportunity: Opportunity
    min_profit: int
    deadline_block: int
    exact_block: bool = False
    flash_pool: str | None = None
    check_deviation: bool = False

    def __post_init__(self) -> None:
        source = self.opportunity.flash_source
        if source not in SOURCES:
            raise ValueError(f"unknown flash source {source!r}: one of {sorted(SOURCES)}")
        if (source in NAMED_LENDER) != (self.flash_pool is not None):
            raise ValueError(f"flash source {source!r} "
                             + ("needs a flash_pool" if source in NAMED_LENDER
                                else "takes no flash_pool"))
        for name in ("min_profit", "deadline_block"):
            if not 0 <= getattr(self, name) < 1 << 256:
                raise ValueError(f"{name} {getattr(self, name)} is not a uint256")


def packed_fits(command: TradeCommand, manifest: Manifest,
                venue_index: Mapping[str, int]) -> bool:
    """Whether executeV2_e0 can carry the trade: an all-V2 cycle of 2 to 4 hops lent by its
    last pair, every hop's factory indexed in the executor's venue table, amounts and the
    deadline within its head's fields, and no oracle check (the packed call has none)."""
    o = command.opportunity
    if (o.flash_source != "uniswap-v2-flashswap-last" or command.check_deviation
            or not 2 <= len(o.route) <= 4 or any(h.kind != "uniswap_v2" for h in o.route)
            or o.amount_in >> 112 or command.min_profit >> 112
            or command.deadline_block > MAX_DEADLINE):
        return False
    dexes = dex_of(manifest)
    return all(h.pool in dexes and dexes[h.pool].factory in venue_index for h in o.route)


def execute_calldata(command: TradeCommand, manifest: Manifest,
                     venue_index: Mapping[str, int]) -> bytes:
    """The executor's calldata for `command`. `venue_index` maps V2 factories to their index
    in the executor's venue table (keeper.onchain.deploy_system.venue_indexes); without one
    for every hop, the trade goes through execute()."""
    o = command.opportunity
    if packed_fits(command, manifest, venue_index):
        head = pack_v2_head(o.amount_in, command.min_profit, command.deadline_block,
                            command.exact_block)
        return execute_v2_calldata(head, encode_v2_path(o, manifest, venue_index))
    args = encode(EXECUTE_TYPES,
                  [source_code(o.flash_source, command.check_deviation),
                   command.flash_pool or ZERO_ADDRESS, o.amount_in, command.min_profit,
                   command.deadline_block, command.exact_block, encode_route(o, manifest)])
    return EXECUTE_SELECTOR + args
