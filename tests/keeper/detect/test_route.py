"""The V3 one-step fast path in `hop_out` gives exactly what the full swap loop gives, for
amounts that stay inside the first step, reach its end, cross ticks, or hit the price limit."""

from __future__ import annotations

import random

import pytest

from keeper.detect.route import Hop, hop_out
from keeper.math.tick_math import MAX_TICK, MIN_TICK, get_sqrt_ratio_at_tick
from keeper.math.v3_swap import TickIndex
from keeper.state.types import V3PoolState

A, B = "0x" + "a" * 40, "0x" + "b" * 40


def _pool(rng: random.Random) -> V3PoolState:
    fee, spacing = rng.choice([(100, 1), (500, 10), (3000, 60), (10000, 200)])
    tick = rng.randrange(MIN_TICK + 1000, MAX_TICK - 1000) if rng.random() < 0.2 else \
        rng.randrange(-50_000, 50_000)
    liq = rng.choice([1, 10**3, 10**9, 10**18, 10**24, 2**127])
    ticks: dict[int, int] = {}
    for _ in range(rng.randrange(0, 6)):
        lo = (tick // spacing - rng.randrange(0, 300)) * spacing
        hi = (tick // spacing + rng.randrange(1, 300)) * spacing
        add = rng.randrange(1, liq + 2)
        ticks[lo] = ticks.get(lo, 0) + add
        ticks[hi] = ticks.get(hi, 0) - add
    inside = sum(n for t, n in ticks.items() if t <= tick)
    lo_sqrt, hi_sqrt = get_sqrt_ratio_at_tick(tick), get_sqrt_ratio_at_tick(tick + 1)
    # on a tick exactly, or anywhere inside the tick's range
    sqrt_p = lo_sqrt if rng.random() < 0.2 else rng.randrange(lo_sqrt, hi_sqrt)
    return V3PoolState("0x" + "c" * 40, A, B, fee, spacing, sqrt_p, tick,
                       max(0, liq + inside), ticks)


def _slow(hop: Hop, amount: int) -> tuple[int, int]:
    plain = Hop(hop.state, hop.zero_for_one, hop.index)
    object.__setattr__(plain, "first", None)
    return hop_out(plain, amount)


@pytest.mark.parametrize("seed", range(40))
def test_hop_out__v3_fast_path__equals_the_swap_loop(seed: int):
    rng = random.Random(seed)
    state = _pool(rng)
    for zero_for_one in (True, False):
        hop = Hop(state, zero_for_one, TickIndex(state.ticks))
        amounts = {1, 2, 3}
        if hop.first is not None:
            reach = hop.first[3]
            # around the input that just reaches the step's end (the fee is on top)
            edge = reach * 1_000_000 // (1_000_000 - state.fee)
            amounts |= {max(1, edge + d) for d in range(-3, 4)}
        amounts |= {rng.randrange(1, 10 ** rng.randrange(1, 40)) for _ in range(60)}
        for amount in sorted(amounts):
            assert hop_out(hop, amount) == _slow(hop, amount), (zero_for_one, amount)
