"""Fee-adjusted log spot rates per edge: the pre-filter's input (floats are fine here: they
only decide which cycles get the exact integer treatment)."""

from __future__ import annotations

import math

from keeper.state.types import PoolState, V2PoolState

NEG_INF = float("-inf")


def log_rates(state: PoolState) -> tuple[float, float]:
    """(token0 -> token1, token1 -> token0) log of output per input at the margin, after fee."""
    log_fee = math.log1p(-state.fee / 1_000_000)
    if isinstance(state, V2PoolState):
        if state.reserve0 <= 0 or state.reserve1 <= 0:
            return NEG_INF, NEG_INF
        spot = math.log(state.reserve1) - math.log(state.reserve0)
    else:
        if state.liquidity <= 0 or state.sqrt_price_x96 <= 0:
            return NEG_INF, NEG_INF
        spot = 2 * (math.log(state.sqrt_price_x96) - 96 * math.log(2))
    return spot + log_fee, -spot + log_fee
