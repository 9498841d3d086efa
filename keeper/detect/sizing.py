"""Optimal input for a cycle, in exact integers.

Constant-product chains compose in closed form: one hop is out(x) = g*b*x / (D*a + g*x) with
g = D - fee (D = 1e6), and composing hops keeps the shape out(x) = K*x / (M + N*x), so the
gross profit out(x) - x peaks at x* = (sqrt(K*M) - M) / N. Integer floors shift the true
optimum by a few wei, so x* is refined by exact simulation around it. Routes with V3 hops use a
golden-section search on the exact simulation (profit is concave in x: marginal prices only
worsen as x grows), after an exponential bracket.
"""

from __future__ import annotations

from math import isqrt

from keeper.detect.route import Hop, simulate
from keeper.state.types import V2PoolState

D = 1_000_000
GOLDEN_STEPS = 90


def closed_form_v2(hops: tuple[Hop, ...]) -> int:
    """x* for an all-V2 route (0 if the route cannot profit)."""
    k = m = n = None
    for hop in hops:
        s = hop.state
        assert isinstance(s, V2PoolState)
        a, b = (s.reserve0, s.reserve1) if hop.zero_for_one else (s.reserve1, s.reserve0)
        g = D - s.fee
        if k is None:
            k, m, n = g * b, D * a, g
        else:
            k, m, n = g * b * k, D * a * m, D * a * n + g * k
    if k is None or k <= m:
        return 0
    return max(0, (isqrt(k * m) - m) // n)


def _profit(hops: tuple[Hop, ...], x: int) -> int:
    return simulate(hops, x)[0] - x if x > 0 else 0


WINDOW = 16


def refine(hops: tuple[Hop, ...], x: int) -> int:
    """Hill-climb from x on the exact profit with doubling then halving steps, then scan a small
    window: integer floors make the profit jagged by a wei or two near the flat peak."""
    best_x, best = x, _profit(hops, x)
    for direction in (1, -1):
        step = 1
        while True:
            cand = best_x + direction * step
            if cand <= 0:
                break
            p = _profit(hops, cand)
            if p > best:
                best_x, best = cand, p
                step *= 2
            elif step > 1:
                step //= 2
            else:
                break
    for cand in range(max(1, best_x - WINDOW), best_x + WINDOW + 1):
        p = _profit(hops, cand)
        if p > best:
            best_x, best = cand, p
    return best_x


def golden(hops: tuple[Hop, ...], start: int) -> int:
    """Bracket the peak by doubling from `start`, then golden-section search on integers."""
    # a geometric ladder around the probe finds the profitable region even when the probe
    # overshoots it by orders of magnitude (tiny pools, thin ticks)
    ladder = sorted({max(1, start << k if k >= 0 else start >> -k) for k in range(-24, 25)})
    profits = [(_profit(hops, v), v) for v in ladder]
    p, x = max(profits)
    if p <= 0:
        return 0
    lo = max([v for v in ladder if v < x], default=0)
    while True:
        nxt = x * 2
        pn = _profit(hops, nxt)
        if pn <= p:
            hi = nxt
            break
        lo, x, p = x, nxt, pn
        if x > 2**200:
            return x
    a, b = lo, hi
    invphi = 0.6180339887498949
    c = b - int((b - a) * invphi)
    d = a + int((b - a) * invphi)
    pc, pd = _profit(hops, c), _profit(hops, d)
    for _ in range(GOLDEN_STEPS):
        if b - a <= 3:
            break
        if pc >= pd:
            b, d, pd = d, c, pc
            c = b - int((b - a) * invphi)
            pc = _profit(hops, c)
        else:
            a, c, pc = c, d, pd
            d = a + int((b - a) * invphi)
            pd = _profit(hops, d)
    return refine(hops, max(range(a, b + 1), key=lambda v: _profit(hops, v)) if b - a <= 3
                  else (c if pc >= pd else d))


def optimal_input(hops: tuple[Hop, ...], hint: int) -> int:
    """The integer input with the highest exact gross profit (0 if none profits)."""
    if all(h.is_v2 for h in hops):
        x = closed_form_v2(hops)
        return refine(hops, x) if x > 0 else 0
    return golden(hops, hint)
