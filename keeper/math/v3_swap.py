"""The UniswapV3Pool.swap loop over a V3PoolState, without writing anything.

Steps stop at every initialized tick and at every 256-tick-spacing bitmap word boundary, as
`TickBitmap.nextInitializedTickWithinOneWord` makes the contract do: splitting a step changes
rounding, so an exact port has to split where the pool splits.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from keeper.math.errors import AmountSpecifiedZero, SqrtPriceLimit
from keeper.math.liquidity_math import add_delta
from keeper.math.swap_math import compute_swap_step
from keeper.math.tick_math import (
    MAX_SQRT_RATIO,
    MAX_TICK,
    MIN_SQRT_RATIO,
    MIN_TICK,
    get_sqrt_ratio_at_tick,
    get_tick_at_sqrt_ratio,
)
from keeper.state.types import V3PoolState


@dataclass(frozen=True, slots=True)
class SwapResult:
    amount0: int  # pool's delta: positive = the pool received token0
    amount1: int
    sqrt_price_x96: int
    tick: int
    liquidity: int
    ticks_crossed: int  # initialized ticks crossed (each costs gas on chain)


class TickIndex:
    """Initialized ticks sorted once per state; shared by every swap simulated on it."""

    __slots__ = ("net", "sorted")

    def __init__(self, ticks: dict[int, int]) -> None:
        self.net = ticks
        self.sorted = sorted(ticks)  # a tick with liquidityNet 0 still stops a step

    def next_within_word(self, tick: int, spacing: int, lte: bool) -> tuple[int, bool]:
        compressed = tick // spacing  # floor, like the contract's compress-and-decrement
        if lte:
            word_start = (compressed >> 8) << 8
            i = bisect_right(self.sorted, compressed * spacing) - 1
            if i >= 0 and self.sorted[i] >= word_start * spacing:
                return self.sorted[i], True
            return word_start * spacing, False
        start = compressed + 1
        word_end = ((start >> 8) << 8) + 255
        i = bisect_left(self.sorted, start * spacing)
        if i < len(self.sorted) and self.sorted[i] <= word_end * spacing:
            return self.sorted[i], True
        return word_end * spacing, False


def swap(state: V3PoolState, zero_for_one: bool, amount_specified: int,
         sqrt_price_limit_x96: int = 0, index: TickIndex | None = None) -> SwapResult:
    """amount_specified > 0: exact input; < 0: exact output. A limit of 0 means none, as
    QuoterV2 and SwapRouter pass it (MIN_SQRT_RATIO + 1 / MAX_SQRT_RATIO - 1)."""
    if amount_specified == 0:
        raise AmountSpecifiedZero()
    if sqrt_price_limit_x96 == 0:
        sqrt_price_limit_x96 = MIN_SQRT_RATIO + 1 if zero_for_one else MAX_SQRT_RATIO - 1
    price = state.sqrt_price_x96
    if zero_for_one:
        if not (MIN_SQRT_RATIO < sqrt_price_limit_x96 < price):
            raise SqrtPriceLimit(f"limit {sqrt_price_limit_x96} vs price {price}")
    elif not (price < sqrt_price_limit_x96 < MAX_SQRT_RATIO):
        raise SqrtPriceLimit(f"limit {sqrt_price_limit_x96} vs price {price}")
    idx = index or TickIndex(state.ticks)
    exact_input = amount_specified > 0
    remaining, calculated = amount_specified, 0
    tick, liquidity, crossed = state.tick, state.liquidity, 0
    while remaining != 0 and price != sqrt_price_limit_x96:
        start = price
        tick_next, initialized = idx.next_within_word(tick, state.tick_spacing, zero_for_one)
        tick_next = max(MIN_TICK, min(MAX_TICK, tick_next))
        sqrt_next = get_sqrt_ratio_at_tick(tick_next)
        beyond_limit = (sqrt_next < sqrt_price_limit_x96 if zero_for_one
                        else sqrt_next > sqrt_price_limit_x96)
        target = sqrt_price_limit_x96 if beyond_limit else sqrt_next
        price, amount_in, amount_out, fee = compute_swap_step(price, target, liquidity,
                                                              remaining, state.fee)
        if exact_input:
            remaining -= amount_in + fee
            calculated -= amount_out
        else:
            remaining += amount_out
            calculated += amount_in + fee
        if price == sqrt_next:
            if initialized:
                net = idx.net.get(tick_next, 0)
                liquidity = add_delta(liquidity, -net if zero_for_one else net)
                crossed += 1
            tick = tick_next - 1 if zero_for_one else tick_next
        elif price != start:
            tick = get_tick_at_sqrt_ratio(price)
    if zero_for_one == exact_input:
        amount0, amount1 = amount_specified - remaining, calculated
    else:
        amount0, amount1 = calculated, amount_specified - remaining
    return SwapResult(amount0, amount1, price, tick, liquidity, crossed)


def quote_exact_input(state: V3PoolState, zero_for_one: bool, amount_in: int,
                      index: TickIndex | None = None) -> int:
    """What QuoterV2.quoteExactInputSingle returns as amountOut (limit 0)."""
    r = swap(state, zero_for_one, amount_in, 0, index)
    return -(r.amount1 if zero_for_one else r.amount0)


def quote_exact_output(state: V3PoolState, zero_for_one: bool, amount_out: int,
                       index: TickIndex | None = None) -> int:
    """What QuoterV2.quoteExactOutputSingle returns as amountIn (limit 0)."""
    r = swap(state, zero_for_one, -amount_out, 0, index)
    return r.amount0 if zero_for_one else r.amount1
