"""LiquidityMath.addDelta with the contract's LS / LA checks (uint128 liquidity)."""

from keeper.math.errors import LiquidityAdd, LiquiditySub
from keeper.math.full_math import MAX_UINT128


def add_delta(liquidity: int, delta: int) -> int:
    result = liquidity + delta
    if delta < 0 and result < 0:
        raise LiquiditySub(f"{liquidity} {delta:+d}")
    if delta >= 0 and result > MAX_UINT128:
        raise LiquidityAdd(f"{liquidity} {delta:+d}")
    return result
