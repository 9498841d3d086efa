"""bench-detect: the detector on a synthetic universe built in-process (no chain).

Full: 10,000 V2 + 2,000 V3 pools over 500 tokens (>= 50,000 cycles); QUICK=1: a small
universe for CI smoke runs. Last line: one JSON object with the keys the issue names.
"""

from __future__ import annotations

import json
import math
import os
import random
import resource
import statistics
import time

from keeper.detect.config import DetectConfig
from keeper.detect.detector import Detector
from keeper.math.tick_math import get_sqrt_ratio_at_tick, get_tick_at_sqrt_ratio
from keeper.state.types import V2PoolState, V3PoolState

QUICK = os.environ.get("QUICK", "") not in ("", "0")
SEED = 42


def _addr(rng: random.Random) -> str:
    return "0x" + f"{rng.getrandbits(160):040x}"


def universe(n_tokens: int, n_v2: int, n_v3: int, rng: random.Random):
    """Tokens with reference prices; pools priced at the reference +- noise. Every token has a
    few pools against each base so that 2- and 3-hop cycles exist in numbers."""
    tokens = sorted(_addr(rng) for _ in range(n_tokens))
    price = {t: math.exp(rng.uniform(-5, 5)) for t in tokens}
    bases = tokens[:2]
    pairs: list[tuple[str, str]] = []
    for t in tokens[2:]:
        for b in bases:
            pairs.append((t, b))
            if rng.random() < 0.25:  # a second DEX lists the same pair
                pairs.append((t, b))
    while len(pairs) < n_v2 + n_v3:
        a, b = rng.sample(tokens, 2)
        pairs.append((a, b))
    rng.shuffle(pairs)
    states = []
    for i, (a, b) in enumerate(pairs[: n_v2 + n_v3]):
        t0, t1 = sorted((a, b))
        p = price[t0] / price[t1] * math.exp(rng.gauss(0, 0.0015))  # token1 per token0
        if i < n_v2:
            r0 = int(10**21 * rng.uniform(0.5, 5))
            states.append(V2PoolState(_addr(rng), t0, t1, r0, int(r0 * p), 3000))
        else:
            fee, spacing = rng.choice([(500, 10), (3000, 60)])
            sqrt_p = int(math.sqrt(p) * 2**96)
            tick = get_tick_at_sqrt_ratio(sqrt_p)
            liq = int(10**21 * rng.uniform(0.5, 5))
            ticks: dict[int, int] = {}
            for _ in range(4):
                lo = (tick // spacing - rng.randrange(1, 40)) * spacing
                hi = (tick // spacing + rng.randrange(1, 40)) * spacing
                add = int(liq * rng.uniform(0.1, 1))
                ticks[lo] = ticks.get(lo, 0) + add
                ticks[hi] = ticks.get(hi, 0) - add
            active = liq + sum(n for t, n in ticks.items() if t <= tick)
            full = (887272 // spacing) * spacing
            ticks[-full], ticks[full] = liq, -liq
            states.append(V3PoolState(_addr(rng), t0, t1, fee, spacing, sqrt_p, tick, active,
                                      ticks))
    return bases, states


def moved(state, rng: random.Random):
    """The same pool after a block's trade: price moved a little."""
    f = math.exp(rng.gauss(0, 0.001))
    if isinstance(state, V2PoolState):
        return V2PoolState(state.address, state.token0, state.token1,
                           int(state.reserve0 / math.sqrt(f)), int(state.reserve1 * math.sqrt(f)),
                           state.fee)
    sqrt_p = max(get_sqrt_ratio_at_tick(-887000), int(state.sqrt_price_x96 * math.sqrt(f)))
    return V3PoolState(state.address, state.token0, state.token1, state.fee, state.tick_spacing,
                       sqrt_p, get_tick_at_sqrt_ratio(sqrt_p), state.liquidity, state.ticks)


def main() -> None:
    rng = random.Random(SEED)
    n_tokens, n_v2, n_v3 = (60, 600, 150) if QUICK else (500, 10_000, 2_000)
    bases, states = universe(n_tokens, n_v2, n_v3, rng)
    t0 = time.perf_counter()
    det = Detector(DetectConfig(base_tokens=tuple(bases), max_hops=3))
    det.update_pools(states)
    det.build()
    build_s = time.perf_counter() - t0
    # no gc.freeze() or gc.disable(): the keeper daemon does neither, and with the collector
    # running as it does there, the per-block timings below include its pauses (measured on
    # this universe: the same p50/p99 with the collector off, frozen or as is)

    t0 = time.perf_counter()
    full = det.evaluate(None, 0)
    full_ms = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    det.candidates(None)
    prefilter_ms = (time.perf_counter() - t0) * 1000

    per_block, evaluated, found = [], 0, 0
    current = {s.address: s for s in states}
    addresses = list(current)
    blocks = 50 if QUICK else 200
    for block in range(1, blocks + 1):
        changed = [moved(current[a], rng) for a in rng.sample(addresses, 50)]
        for s in changed:
            current[s.address] = s
        t0 = time.perf_counter()
        dirty = det.update_pools(changed)
        evaluated += len(det.index.cycles_touching(det.position[a] for a in dirty))
        found += len(det.evaluate(dirty, block))
        per_block.append((time.perf_counter() - t0) * 1000)
    per_block.sort()
    p99 = per_block[min(len(per_block) - 1, int(len(per_block) * 0.99))]
    result = {
        "pools": len(states),
        "cycles": det.cycle_count,
        "build_s": round(build_s, 3),
        "changed50_p50_ms": round(statistics.median(per_block), 3),
        "changed50_p99_ms": round(p99, 3),
        "full_rescan_ms": round(full_ms, 2),
        "ns_per_cycle": round(prefilter_ms * 1e6 / max(1, det.cycle_count), 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "full_rescan_opportunities": len(full),
        "cycles_reevaluated_per_block": round(evaluated / blocks, 1),
        "opportunities_per_block": round(found / blocks, 2),
        "quick": QUICK,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
