"""Sizing lands within 1 wei of the brute-force optimum profit on small cycles (integer floors
make the peak a jagged plateau, so the profit, not the input, is what is compared)."""

from __future__ import annotations

import random

import pytest

from keeper.detect.cycles import enumerate_cycles
from keeper.detect.route import Hop, simulate
from keeper.detect.sizing import closed_form, optimal_input
from keeper.math.tick_math import get_sqrt_ratio_at_tick
from keeper.math.v3_swap import TickIndex
from keeper.state.types import V2PoolState, V3PoolState

A, B, C = ("0x" + c * 40 for c in "abc")


def _v2(r0: int, r1: int, t0: str = A, t1: str = B, fee: int = 3000) -> V2PoolState:
    return V2PoolState(f"0x{random.getrandbits(160):040x}", t0, t1, r0, r1, fee)


def _brute(hops: tuple[Hop, ...], upto: int) -> tuple[int, set[int]]:
    profits = {x: simulate(hops, x)[0] - x for x in range(1, upto)}
    best = max(profits.values())
    return best, {x for x, p in profits.items() if p == best}


@pytest.mark.parametrize("seed", range(30))
def test_sizing__v2_cycles__within_one_wei_of_brute_force(seed: int):
    rng = random.Random(seed)
    while True:
        r = [rng.randrange(2_000, 20_000) for _ in range(4)]
        p1, p2 = _v2(r[0], r[1]), _v2(r[2], r[3])
        hops = (Hop(p1, True, None), Hop(p2, False, None))  # A -> B -> A
        if simulate(hops, 1)[0] > 1 or closed_form(hops) > 2:
            break
    x = optimal_input(hops, 1)
    best, _ = _brute(hops, max(r) * 2)
    if best <= 0:
        assert x == 0 or simulate(hops, x)[0] - x <= 0
        return
    assert simulate(hops, x)[0] - x >= best - 1


@pytest.mark.parametrize("seed", range(10))
def test_sizing__v2_v3_cycle__within_one_wei_of_brute_force(seed: int):
    rng = random.Random(100 + seed)
    spacing = 60
    tick = rng.randrange(-600, 600)
    liq = rng.randrange(20_000, 200_000)
    ticks = {}
    for _ in range(4):  # a few ranges so that the search crosses ticks
        lo = (tick // spacing - rng.randrange(1, 6)) * spacing
        hi = (tick // spacing + rng.randrange(1, 6)) * spacing
        add = rng.randrange(5_000, 50_000)
        ticks[lo] = ticks.get(lo, 0) + add
        ticks[hi] = ticks.get(hi, 0) - add
    inside = sum(n for t, n in ticks.items() if t <= tick)
    v3 = V3PoolState("0x" + "e" * 40, A, B, 3000, spacing, get_sqrt_ratio_at_tick(tick), tick,
                     liq + inside, {t: n for t, n in ticks.items()} | {-887220: liq,
                                                                      887220: -liq})
    price = 1.0001**tick
    skew = 1 + rng.choice([-1, 1]) * rng.uniform(0.02, 0.08)
    r0 = rng.randrange(20_000, 60_000)
    v2p = _v2(r0, int(r0 * price * skew))
    for zero_for_one in (True, False):
        hops = (Hop(v2p, zero_for_one, None), Hop(v3, not zero_for_one, TickIndex(v3.ticks)))
        best, _ = _brute(hops, 30_000)
        x = optimal_input(hops, 1000)
        if best <= 0:
            continue
        assert simulate(hops, x)[0] - x >= best - 1


def test_cycles__two_and_three_hops__each_pool_once_back_to_base():
    pairs = [(A, B), (A, B), (B, C), (A, C)]
    cycles = enumerate_cycles(pairs, [A], 3)
    as_pools = {tuple(e // 2 for e in c) for c in cycles}
    assert (0, 1) in as_pools and (1, 0) in as_pools  # A-B on two pools, both ways
    assert (0, 2, 3) in as_pools and (3, 2, 1) in as_pools  # A-B-C-A and back
    assert all(len(set(c)) == len(c) for c in as_pools)
    assert not any(len(c) > 3 for c in as_pools)
    assert len(enumerate_cycles(pairs, [A], 2)) == 2
