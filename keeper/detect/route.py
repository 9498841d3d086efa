"""Exact simulation of a cycle: chained integer swaps on pool states (no chain access).

A V3 exact-input swap with no price limit is the pool's step loop, and every step it completes
(the price reaches the step's target: the next initialized tick or bitmap word boundary) moves
the same amounts whatever the input: input to the target, its fee, output, liquidity crossed.
So each V3 hop keeps a `Ladder` of its completed steps, built once per state and lengthened
on demand; an amount then costs a bisection to the step it ends in and one partial
`computeSwapStep`. Where that is not provably what the loop does (the price limit, a revert,
a step the rounding lands exactly on), the full `keeper.math.v3_swap.swap` runs instead.
Both give the same integers (tests/keeper/detect/test_route.py).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from keeper.math import v2
from keeper.math.errors import MathError
from keeper.math.full_math import MAX_UINT256, mul_div_rounding_up
from keeper.math.liquidity_math import add_delta
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
MAX_STEPS = 64  # beyond this many completed steps the plain loop is used


class Ladder:
    """The completed steps of an exact-input, no-limit swap on one V3 state and direction.

    Step k starts after k completed steps, having taken `cum_in[k]` (inputs plus fees) and
    paid out `outs[k]`, with `crossed[k]` initialized ticks crossed; `starts[k]` is its
    (sqrt price, liquidity, target, input that reaches the target). `bounds[k]` is the running
    maximum of the smallest total input that completes step k: an amount x completes exactly
    the first bisect_right(bounds, x) steps, then ends inside the next one."""

    __slots__ = (
        "bounds",
        "crossed",
        "cum_in",
        "done",
        "fee",
        "index",
        "keep",
        "limit",
        "liquidity",
        "outs",
        "price",
        "spacing",
        "starts",
        "tick",
        "z",
    )

    def __init__(self, state: V3PoolState, zero_for_one: bool, index: TickIndex) -> None:
        self.z = zero_for_one
        self.fee, self.keep = state.fee, PIPS - state.fee
        self.spacing, self.index = state.tick_spacing, index
        self.limit = MIN_SQRT_RATIO + 1 if zero_for_one else MAX_SQRT_RATIO - 1
        self.price, self.liquidity, self.tick = state.sqrt_price_x96, state.liquidity, state.tick
        self.cum_in, self.outs, self.crossed = [0], [0], [0]
        # per step: sqrt price, liquidity, target, input reaching it, liquidity << 96, and the
        # largest token0 input whose product with the price cannot wrap (zero_for_one only)
        self.starts: list[tuple[int, int, int, int, int, int]] = []
        self.bounds: list[int] = []
        # what swap checks before its loop; uint128 liquidity and a fee below 100% keep every
        # quantity below the contracts' overflow checks, so only the listed reverts can occur
        price = self.price
        self.done = not (
            0 < self.keep <= PIPS and 0 <= self.liquidity < 1 << 128
            and (self.limit < price < MAX_SQRT_RATIO if zero_for_one
                 else MIN_SQRT_RATIO < price < self.limit))

    def _extend(self) -> None:
        """Work out the next step as swap's loop does, and complete it."""
        z, price, liquidity = self.z, self.price, self.liquidity
        try:
            tick_next, initialized = self.index.next_within_word(self.tick, self.spacing, z)
            tick_next = max(MIN_TICK, min(MAX_TICK, tick_next))
            sqrt_next = get_sqrt_ratio_at_tick(tick_next)
            beyond = sqrt_next < self.limit if z else sqrt_next > self.limit
            target = self.limit if beyond else sqrt_next
            if beyond or not (target <= price if z else target > price):
                self.done = True  # the limit ends the loop: leave such amounts to swap
                return
            if z:
                reach = amount0_delta(target, price, liquidity, True)
                out = amount1_delta(target, price, liquidity, False)
            else:
                reach = amount1_delta(price, target, liquidity, True)
                out = amount0_delta(price, target, liquidity, False)
            fee = mul_div_rounding_up(reach, self.fee, self.keep)
            k = len(self.starts)
            n1 = liquidity << 96
            self.starts.append((price, liquidity, target, reach, n1,
                                (MAX_UINT256 - n1) // price))
            # floor(r * keep / PIPS) >= reach  <=>  r >= ceil(reach * PIPS / keep)
            bound = self.cum_in[k] - (-reach * PIPS // self.keep)
            self.bounds.append(max(bound, self.bounds[-1]) if self.bounds else bound)
            crossed = self.crossed[k]
            if initialized:
                net = self.index.net.get(tick_next, 0)
                liquidity = add_delta(liquidity, -net if z else net)
                crossed += 1
            self.cum_in.append(self.cum_in[k] + reach + fee)
            self.outs.append(self.outs[k] + out)
            self.crossed.append(crossed)
            self.price, self.liquidity = target, liquidity
            self.tick = tick_next - 1 if z else tick_next
            if len(self.starts) >= MAX_STEPS:
                self.done = True
        except MathError:
            # only crossing the tick can revert (add_delta), after the step's start and bound
            # are recorded: amounts inside the step are still exact, amounts that complete it
            # go to swap, which raises the same error
            self.done = True

    def out(self, amount: int) -> tuple[int, int] | None:
        """(amount out, ticks crossed), or None: let swap decide."""
        bounds = self.bounds
        if bounds and amount < bounds[0]:
            k = 0  # inside the first step: the common case
        else:
            while not bounds or bounds[-1] <= amount:
                if self.done:
                    return None
                self._extend()
            k = bisect_right(bounds, amount)
            if k > len(self.starts) - 1:
                return None
            j = bisect_left(self.cum_in, amount, 1, k + 1)
            if j <= k and self.cum_in[j] == amount:  # the input ran out at a step's end
                return self.outs[j], self.crossed[j]
        price, liquidity, target, reach, n1, cap = self.starts[k]
        less_fee = (amount - self.cum_in[k]) * self.keep // PIPS
        if less_fee >= reach:
            return None
        # computeSwapStep stopping short of the target, with SqrtPriceMath inlined: the input
        # is below `reach`, so no quantity nears an overflow check (0 < liquidity < 2^128)
        if self.z:
            if less_fee <= cap:  # getNextSqrtPriceFromAmount0RoundingUp, no-wrap branch
                nxt = -(-n1 * price // (n1 + less_fee * price))
            else:
                nxt = next_sqrt_price_from_input(price, liquidity, less_fee, True)
            if nxt == target:  # rounding landed on the target: computeSwapStep's other branch
                return None
            # getAmount1Delta(nxt, price, liquidity, round down)
            return self.outs[k] + (liquidity * (price - nxt) >> 96), self.crossed[k]
        # getNextSqrtPriceFromAmount1RoundingDown (the quotient stays below target - price)
        nxt = price + (less_fee << 96) // liquidity
        if nxt == target:
            return None
        # getAmount0Delta(price, nxt, liquidity, round down)
        return self.outs[k] + n1 * (nxt - price) // nxt // price, self.crossed[k]


@dataclass(frozen=True, slots=True)
class Hop:
    state: PoolState
    zero_for_one: bool
    index: TickIndex | None  # V3 only: initialized ticks, sorted once per state
    ladder: Ladder | None = field(default=None, init=False, repr=False, compare=False)
    # V2 with positive reserves: (reserve in, reserve out, PIPS - fee) for the inlined formula
    pair: tuple[int, int, int] | None = field(default=None, init=False, repr=False,
                                              compare=False)

    def __post_init__(self) -> None:
        s = self.state
        if isinstance(s, V3PoolState):
            object.__setattr__(self, "ladder", Ladder(s, self.zero_for_one,
                                                      self.index or TickIndex(s.ticks)))
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


def hop_out(hop: Hop, amount_in: int) -> tuple[int, int]:
    """(amount out, initialized ticks crossed); (0, 0) where the contract would revert."""
    s = hop.state
    try:
        if isinstance(s, V2PoolState):
            r_in, r_out = (s.reserve0, s.reserve1) if hop.zero_for_one else (s.reserve1, s.reserve0)
            return v2.get_amount_out(amount_in, r_in, r_out, s.fee), 0
        if hop.ladder is not None and amount_in > 0:
            fast = hop.ladder.out(amount_in)
            if fast is not None:
                return fast
    except MathError:
        return 0, 0
    return _loop_out(hop, amount_in)


def _loop_out(hop: Hop, amount_in: int) -> tuple[int, int]:
    """hop_out for a V3 hop by the pool's full swap loop."""
    state = hop.state
    assert isinstance(state, V3PoolState)  # only V3 hops get here (hop_out dispatches)
    try:
        r = swap(state, hop.zero_for_one, amount_in, 0, hop.index)
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
            continue
        ladder = hop.ladder
        if ladder is None:  # a V2 pair with an empty reserve
            amount, c = hop_out(hop, amount)
        else:
            try:
                fast = ladder.out(amount)
            except MathError:
                return 0, crossed  # what hop_out answers for the same revert
            amount, c = fast if fast is not None else _loop_out(hop, amount)
        crossed += c
    return amount, crossed
