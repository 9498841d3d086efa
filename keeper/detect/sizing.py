"""Optimal input for a cycle, in exact integers.

Constant-product chains compose in closed form: one hop is out(x) = g*b*x / (D*a + g*x) with
g = D - fee (D = 1e6), and composing hops keeps the shape out(x) = K*x / (M + N*x), so the
gross profit out(x) - x peaks at x* = (sqrt(K*M) - M) / N. Integer floors shift the true
optimum by a few wei, so x* is refined by exact simulation around it. Routes with V3 hops use a
golden-section search on the exact simulation (profit is concave in x: marginal prices only
worsen as x grows), after an exponential bracket.

The searches revisit amounts (the hill-climb's last steps and its window overlap, the closed
form's check is the climb's start, the caller wants the chosen amount's output): each route's
simulations are memoized for the one sizing.
"""

from __future__ import annotations

from math import isqrt

from keeper.detect.route import Hop, simulate
from keeper.state.types import V2PoolState

D = 1_000_000
GOLDEN_STEPS = 90


def _reserves(hop: Hop) -> tuple[int, int]:
    """(in, out) reserves; for V3 the virtual reserves of the current range (x = L / sqrtP,
    y = L * sqrtP), which price exactly like a constant-product pool until a tick is crossed."""
    s = hop.state
    if isinstance(s, V2PoolState):
        r0, r1 = s.reserve0, s.reserve1
    else:
        r0 = (s.liquidity << 96) // max(1, s.sqrt_price_x96)
        r1 = (s.liquidity * s.sqrt_price_x96) >> 96
    return (r0, r1) if hop.zero_for_one else (r1, r0)


def closed_form(hops: tuple[Hop, ...]) -> int:
    """x* = (sqrt(K*M) - M) / N for the route's constant-product form (0 if it cannot profit).
    Exact for all-V2 routes before integer floors; a tight first guess when V3 hops are in."""
    composed: tuple[int, int, int] | None = None  # (K, M, N) of out(x) = Kx / (M + Nx)
    for hop in hops:
        a, b = _reserves(hop)
        if a <= 0 or b <= 0:
            return 0
        g = D - hop.state.fee
        if composed is None:
            composed = (g * b, D * a, g)
        else:
            k, m, n = composed
            composed = (g * b * k, D * a * m, D * a * n + g * k)
    if composed is None:
        return 0
    k, m, n = composed
    if k <= m:
        return 0
    return max(0, (isqrt(k * m) - m) // n)


class _Route:
    """A route's exact simulation, memoized by input amount for one sizing."""

    __slots__ = ("hops", "memo")

    def __init__(self, hops: tuple[Hop, ...]) -> None:
        self.hops = hops
        self.memo: dict[int, tuple[int, int]] = {}

    def run(self, x: int) -> tuple[int, int]:
        r = self.memo.get(x)
        if r is None:
            r = self.memo[x] = simulate(self.hops, x)
        return r

    def profit(self, x: int) -> int:
        return self.run(x)[0] - x if x > 0 else 0


WINDOW = 16  # wei scanned each side of the climb's end on small amounts


def refine(route: _Route, x: int) -> int:
    """Hill-climb from x on the exact profit with doubling then halving steps, then scan a small
    window: integer floors make the profit jagged by a wei or two near the flat peak."""
    best_x, best = x, route.profit(x)
    for direction in (1, -1):
        step = 1
        while True:
            cand = best_x + direction * step
            if cand <= 0:
                break
            p = route.profit(cand)
            if p > best:
                best_x, best = cand, p
                step *= 2
            elif step > 1:
                step //= 2
            else:
                break
    window = WINDOW if best_x < 10**6 else 2  # beyond that the jag is noise on a flat top
    for cand in range(max(1, best_x - window), best_x + window + 1):
        p = route.profit(cand)
        if p > best:
            best_x, best = cand, p
    return best_x


def golden(route: _Route, start: int) -> int:
    """Bracket the peak by doubling from `start`, then golden-section search on integers."""
    # a geometric ladder around the probe finds the profitable region even when the probe
    # overshoots it by orders of magnitude (tiny pools, thin ticks)
    ladder = sorted({max(1, start << k if k >= 0 else start >> -k) for k in range(-24, 25)})
    profits = [(route.profit(v), v) for v in ladder]
    p, x = max(profits)
    if p <= 0:
        return 0
    lo = max([v for v in ladder if v < x], default=0)
    return refine(route, _golden_section(route, *_bracket(route, lo, x, p)))


def _bracket(route: _Route, lo: int, x: int, p: int) -> tuple[int, int]:
    """Double x until the profit falls: the peak lies in [lo, that point]."""
    while True:
        nxt = x * 2
        pn = route.profit(nxt)
        if pn <= p:
            return lo, nxt
        lo, x, p = x, nxt, pn
        if x > 2**200:
            return lo, x


def _golden_section(route: _Route, a: int, b: int) -> int:
    """Integer golden-section search for the peak of a concave profit on [a, b]; the last few
    dozen candidates are scanned outright (integer rounding makes the very top jagged)."""
    invphi = 0.6180339887498949
    c, d = b - int((b - a) * invphi), a + int((b - a) * invphi)
    pc, pd = route.profit(c), route.profit(d)
    for _ in range(GOLDEN_STEPS):
        # stop at 32 wei, or at a part in 2^12 of the amount: the top is flat (quadratic), and
        # the hill-climb in `refine` finishes the last stretch on the exact profit
        if b - a <= max(32, a >> 12):
            break
        if pc >= pd:
            b, d, pd = d, c, pc
            c = b - int((b - a) * invphi)
            pc = route.profit(c)
        else:
            a, c, pc = c, d, pd
            d = a + int((b - a) * invphi)
            pd = route.profit(d)
        if not a <= c < d <= b:  # rounding collapsed the interior points: re-seed them
            c, d = b - int((b - a) * invphi), a + int((b - a) * invphi)
            if c >= d:
                break
            pc, pd = route.profit(c), route.profit(d)
    if b - a <= 64:
        return max(range(max(1, a), b + 1), key=route.profit, default=max(1, a))
    return c if pc >= pd else d


def optimal_input(hops: tuple[Hop, ...], hint: int) -> int:
    """The integer input with the highest exact gross profit (0 if none profits)."""
    return optimal(hops, hint)[0]


def optimal(hops: tuple[Hop, ...], hint: int) -> tuple[int, int, int]:
    """(optimal input, its exact output, ticks crossed on the way); (0, 0, 0) if none profits."""
    route = _Route(hops)
    x = _search(route, hint)
    if x <= 0:
        return 0, 0, 0
    return (x, *route.run(x))


def _search(route: _Route, hint: int) -> int:
    hops = route.hops
    x = closed_form(hops)
    if all(h.is_v2 for h in hops):
        return refine(route, x) if x > 0 else 0
    if x > 0:
        out, crossed = route.run(x)
        if crossed == 0 and out > x:
            # no range boundary reached: the V3 hops really were constant-product up to x*,
            # and profit only falls past it (concave), so x* is the peak up to integer floors
            return refine(route, x)
        # a tick was crossed: liquidity changed on the way, search the exact simulation
        px, p2 = out - x, route.profit(2 * x)
        if px > 0 and p2 <= px and route.profit(x // 2) <= px:
            return refine(route, _golden_section(route, x // 2, 2 * x))
        if px > 0:
            return refine(route, _golden_section(route, *_bracket(route, x // 2, x, px)))
        if not _tiny(hops):
            # a loss at x*: crossing into thinner ranges made the marginal rate fall below 1
            # before x*, so the peak (if any) lies in (0, x*): search there, not everywhere
            best = refine(route, _golden_section(route, 1, x))
            return best if route.profit(best) > 0 else 0
    elif not _tiny(hops):
        return 0  # exact marginal rate at zero is <= 1: concave profit never turns positive
    # dust-sized pools: integer rounding can make a few wei where the margin says none
    return golden(route, hint)


TINY = 10**9  # below this many units of virtual reserve, rounding noise rivals real profit


def _tiny(hops: tuple[Hop, ...]) -> bool:
    return min(min(_reserves(h)) for h in hops) < TINY
