"""Seeded reference prices: a geometric random walk per token (pure, no I/O)."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping

STABLES = frozenset({"USDC", "USDT", "DAI", "NRT"})


class PriceWalk:
    """Log-normal steps; stablecoins take small steps and revert to their peg."""

    def __init__(self, initial: Mapping[str, float], rng: random.Random, vol_bps: float,
                 stable_vol_bps: float) -> None:
        self.prices = dict(initial)
        self.peg = dict(initial)
        self.rng = rng
        self.vol = vol_bps / 10_000
        self.stable_vol = stable_vol_bps / 10_000

    def step(self) -> dict[str, float]:
        for symbol in sorted(self.prices):  # sorted: the draw order must not depend on dicts
            if symbol in STABLES:
                pull = 0.2 * math.log(self.peg[symbol] / self.prices[symbol])
                self.prices[symbol] *= math.exp(pull + self.rng.gauss(0.0, self.stable_vol))
            else:
                self.prices[symbol] *= math.exp(self.rng.gauss(0.0, self.vol))
        return dict(self.prices)
