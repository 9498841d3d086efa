"""A V3 hop's step ladder gives exactly what the full swap loop gives, for amounts that stay
inside the first step, end exactly on a step's end, cross several ticks and word boundaries,
start on a tick, run through zero-liquidity gaps, revert, or reach the price limit."""

from __future__ import annotations

import random

import pytest

from keeper.detect.route import Hop, hop_out, simulate
from keeper.math.errors import MathError
from keeper.math.tick_math import MAX_TICK, MIN_TICK, get_sqrt_ratio_at_tick
from keeper.math.v3_swap import TickIndex, swap
from keeper.state.types import V3PoolState

A, B = "0x" + "a" * 40, "0x" + "b" * 40


def _pool(rng: random.Random) -> V3PoolState:
    fee, spacing = rng.choice([(100, 1), (500, 10), (3000, 60), (10000, 200)])
    tick = rng.randrange(MIN_TICK + 1000, MAX_TICK - 1000) if rng.random() < 0.1 else \
        rng.randrange(-50_000, 50_000)
    liq = rng.choice([0, 1, 10**3, 10**9, 10**18, 10**24, 2**127])
    if spacing == 1:  # dust there walks the loop through thousands of words: slow to test
        liq = max(liq, 10**9)
    ticks: dict[int, int] = {}
    for _ in range(rng.randrange(0, 8)):
        lo = (tick // spacing - rng.randrange(0, 600)) * spacing
        hi = (tick // spacing + rng.randrange(1, 600)) * spacing
        add = rng.randrange(1, liq + 2)
        ticks[lo] = ticks.get(lo, 0) + add
        ticks[hi] = ticks.get(hi, 0) - add
    if rng.random() < 0.2:  # an initialized tick whose net would drive liquidity negative
        t = (tick // spacing + rng.choice([-3, 3])) * spacing
        ticks[t] = ticks.get(t, 0) + rng.choice([-1, 1]) * (liq + 10**30)
    inside = sum(n for t, n in ticks.items() if t <= tick)
    lo_sqrt, hi_sqrt = get_sqrt_ratio_at_tick(tick), get_sqrt_ratio_at_tick(tick + 1)
    # on a tick exactly, or anywhere inside the tick's range
    sqrt_p = lo_sqrt if rng.random() < 0.25 else rng.randrange(lo_sqrt, hi_sqrt)
    return V3PoolState("0x" + "c" * 40, A, B, fee, spacing, sqrt_p, tick,
                       max(0, liq + inside), ticks)


def _loop(state: V3PoolState, zero_for_one: bool, amount: int) -> tuple[int, int]:
    """hop_out's contract, computed with the plain swap loop only."""
    try:
        r = swap(state, zero_for_one, amount, 0, TickIndex(state.ticks))
    except MathError:
        return 0, 0
    out = -(r.amount1 if zero_for_one else r.amount0)
    consumed = r.amount0 if zero_for_one else r.amount1
    return (out, r.ticks_crossed) if consumed == amount else (0, 0)


@pytest.mark.parametrize("seed", range(60))
def test_hop_out__v3_ladder__equals_the_swap_loop(seed: int):
    rng = random.Random(seed)
    state = _pool(rng)
    for zero_for_one in (True, False):
        hop = Hop(state, zero_for_one, TickIndex(state.ticks))
        amounts = {1, 2, 3}
        amounts |= {rng.randrange(1, 10 ** rng.randrange(1, 30)) for _ in range(80)}
        amounts |= {rng.randrange(1, 10 ** rng.randrange(30, 45)) for _ in range(2)}
        for amount in sorted(amounts, key=lambda _: rng.random()):  # grow the ladder unevenly
            assert hop_out(hop, amount) == _loop(state, zero_for_one, amount), amount
        ladder = hop.ladder
        assert ladder is not None
        # every step's end, and a few wei either side of it (fees round there)
        for end in ladder.cum_in[1:]:
            for amount in range(max(1, end - 3), end + 4):
                assert hop_out(hop, amount) == _loop(state, zero_for_one, amount), amount


@pytest.mark.parametrize("seed", range(20))
def test_simulate__v3_routes__equals_chained_swap_loops(seed: int):
    rng = random.Random(1000 + seed)
    states = [_pool(rng) for _ in range(3)]
    dirs = [rng.random() < 0.5 for _ in states]
    hops = tuple(Hop(s, d, TickIndex(s.ticks)) for s, d in zip(states, dirs, strict=True))
    for _ in range(60):
        x = rng.randrange(1, 10 ** rng.randrange(1, 40))
        amount, crossed = x, 0
        for s, d in zip(states, dirs, strict=True):
            if amount <= 0:
                amount = 0
                break
            amount, c = _loop(s, d, amount)
            crossed += c
        assert simulate(hops, x) == (amount, crossed), x


def test_hop_out__token0_input_whose_product_with_the_price_wraps__equals_the_swap_loop():
    # a wide spacing puts the next initialized tick ~2^120 below the price in one step: inputs
    # inside that step can make amount * sqrtPrice exceed 2^256 (SqrtPriceMath's other branch)
    spacing, tick = 16384, 49 * 16384
    lo = -49 * 16384
    liq = 2**127
    state = V3PoolState("0x" + "d" * 40, A, B, 10000, spacing, get_sqrt_ratio_at_tick(tick) + 7,
                        tick, liq, {lo: liq, 50 * 16384: -liq})
    hop = Hop(state, True, TickIndex(state.ticks))
    assert hop.ladder is not None
    hop.ladder.out(1)
    _price, _, _, reach, _, cap = hop.ladder.starts[0]
    assert cap < reach  # the wrapping inputs exist in this step
    rng = random.Random(5)
    amounts = [cap - 1, cap, cap + 1, cap * 2, reach - 1, reach, reach + 1]
    amounts += [rng.randrange(cap, reach) for _ in range(40)]
    for amount in amounts:
        assert hop_out(hop, amount) == _loop(state, True, amount), amount
