"""Exact simulation of a cycle: chained integer swaps on pool states (no chain access).

A V3 hop whose input is too small to leave the first swap step (the price stays short of the
next initialized tick and of the bitmap word boundary) is the pool's swap loop run once: the
step's target and the input that would reach it depend only on the state, so they are worked
out once per hop (`Hop.first`) and such amounts cost a single `computeSwapStep`'s arithmetic.
Every other amount runs the full `keeper.math.v3_swap.swap` loop. Both give the same integers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from keeper.math import v2
from keeper.math.errors import MathError
from keeper.math.sqrt_price_math import amount0_delta, amount1_delta, next_sqrt_price_from_input
from keeper.math.tick_math import (
    MAX_SQRT_RATIO,
    MAX_TICK,
    MIN_SQRT_RATIO,
    MIN_TICK,
    get_sqrt_ratio_at_tick,
)
from keeper.math.v3_swap import TickIndex, swap
from keeper.state.types import PoolState, V2PoolState, V3PoolState

PIPS = 1_000_000


@dataclass(frozen=True, slots=True)
class Hop:
    state: PoolState
    zero_for_one: bool
    index: TickIndex | None  # V3 only: initialized ticks, sorted once per state
    # V3 only: (sqrt price, liquidity, first step's target, input to reach it, PIPS - fee)
    first: tuple[int, int, int, int, int] | None = field(default=None, init=False,
                                                         repr=False, compare=False)
    # V2 with positive reserves: (reserve in, reserve out, PIPS - fee) for the inlined formula
    pair: tuple[int, int, int] | None = field(default=None, init=False, repr=False,
                                              compare=False)

    def __post_init__(self) -> None:
        s = self.state
        if isinstance(s, V3PoolState):
            object.__setattr__(self, "first", first_step(s, self.zero_for_one, self.index))
        elif s.reserve0 > 0 and s.reserve1 > 0:
            r_in, r_out = (s.reserve0, s.reserve1) if self.zero_for_one else (s.reserve1,
                                                                              s.reserve0)
            object.__setattr__(self, "pair", (r_in, r_out, PIPS - s.fee))

    @property
    def token_in(self) -> str:
        return self.state.token0 if self.zero_for_one else self.state.token1

    @property
    def token_out(self) -> str:
        return self.state.token1 if self.zero_for_one else self.state.token0

    @property
    def is_v2(self) -> bool:
        return isinstance(self.state, V2PoolState)


def first_step(state: V3PoolState, zero_for_one: bool,
               index: TickIndex | None) -> tuple[int, int, int, int, int] | None:
    """The first iteration of `swap`'s loop up to its amount-dependent part, for an exact-input
    swap with no price limit; None where the fast path is not provably the same (then every
    amount takes the full loop)."""
    price, liquidity = state.sqrt_price_x96, state.liquidity
    limit = MIN_SQRT_RATIO + 1 if zero_for_one else MAX_SQRT_RATIO - 1
    if not (limit < price < MAX_SQRT_RATIO if zero_for_one else MIN_SQRT_RATIO < price < limit):
        return None  # swap raises SqrtPriceLimit: leave it to swap
    # uint128 liquidity keeps every delta below 2^256, so no overflow check can trip
    if not 0 < liquidity < 1 << 128:
        return None
    try:
        idx = index or TickIndex(state.ticks)
        tick_next, _ = idx.next_within_word(state.tick, state.tick_spacing, zero_for_one)
        sqrt_next = get_sqrt_ratio_at_tick(max(MIN_TICK, min(MAX_TICK, tick_next)))
        beyond = sqrt_next < limit if zero_for_one else sqrt_next > limit
        target = limit if beyond else sqrt_next
        if not (target < price if zero_for_one else target > price):
            return None
        reach = (amount0_delta(target, price, liquidity, True) if zero_for_one
                 else amount1_delta(price, target, liquidity, True))
    except MathError:
        return None
    return price, liquidity, target, reach, PIPS - state.fee


def hop_out(hop: Hop, amount_in: int) -> tuple[int, int]:
    """(amount out, initialized ticks crossed); (0, 0) where the contract would revert."""
    s = hop.state
    try:
        if isinstance(s, V2PoolState):
            r_in, r_out = (s.reserve0, s.reserve1) if hop.zero_for_one else (s.reserve1, s.reserve0)
            return v2.get_amount_out(amount_in, r_in, r_out, s.fee), 0
        first = hop.first
        if first is not None and amount_in > 0:
            price, liquidity, target, reach, keep = first
            less_fee = amount_in * keep // PIPS
            if less_fee < reach:
                # computeSwapStep stops short of the target: all the input goes in (the rest
                # is the fee), the loop ends after this one step and no tick is crossed
                nxt = next_sqrt_price_from_input(price, liquidity, less_fee, hop.zero_for_one)
                if nxt != target:
                    if hop.zero_for_one:
                        return amount1_delta(nxt, price, liquidity, False), 0
                    return amount0_delta(price, nxt, liquidity, False), 0
        r = swap(s, hop.zero_for_one, amount_in, 0, hop.index)
    except MathError:
        return 0, 0
    out = -(r.amount1 if hop.zero_for_one else r.amount0)
    consumed = r.amount0 if hop.zero_for_one else r.amount1
    if consumed != amount_in:  # the price limit stopped the swap: the input would not all go in
        return 0, 0
    return out, r.ticks_crossed


def simulate(hops: tuple[Hop, ...], amount_in: int) -> tuple[int, int]:
    """(final output, total ticks crossed) of sending amount_in along the hops."""
    amount, crossed = amount_in, 0
    for hop in hops:
        if amount <= 0:
            return 0, crossed
        pair = hop.pair
        if pair is not None:  # v2.get_amount_out, inlined: its checks hold by construction
            r_in, r_out, keep = pair
            with_fee = amount * keep
            amount = with_fee * r_out // (r_in * PIPS + with_fee)
        else:
            amount, c = hop_out(hop, amount)
            crossed += c
    return amount, crossed
