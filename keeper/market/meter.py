"""Per-block record of the arbitrage the market left on the table, by the project's own exact
math (the detector over every pool the simulator knows), so a keeper's capture can be scored
against what was there."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from web3 import Web3

from keeper.chain.pool_reader import read_pool, refresh_prices
from keeper.detect.world import detector_for, tradable_pools
from keeper.manifest import Manifest


@dataclass(frozen=True)
class BlockArbitrage:
    block: int
    opportunities: int
    best_profit_usd: float
    # best per start token and pool set, summed: a lower bound of what one block could yield
    disjoint_profit_usd: float
    best_route: list[str]

    def to_json(self) -> str:
        return json.dumps(self.__dict__)


def record_path(seed: int) -> Path:
    """Where the demo and `flashkeeper market` record a seed's available arbitrage."""
    from keeper.config import VAR

    return VAR / "market" / f"arbitrage-seed{seed}.jsonl"


class ArbitrageMeter:
    def __init__(self, w3: Web3, manifest: Manifest, out: Path | None = None) -> None:
        self.w3 = w3
        self.manifest = manifest
        self.detector = detector_for(manifest, min_profit=1)
        self.states = [read_pool(w3, p) for p in tradable_pools(manifest)]
        self.detector.update_pools(self.states)
        self.prices = {t.address: float(t.price_usd or 0) for t in manifest.tokens}
        self.out = out
        self.records: list[BlockArbitrage] = []

    def set_prices(self, by_symbol: dict[str, float]) -> None:
        for t in self.manifest.tokens:
            if t.symbol in by_symbol:
                self.prices[t.address] = by_symbol[t.symbol]

    def measure(self, block: int) -> BlockArbitrage:
        self.states = refresh_prices(self.w3, self.states, block)
        self.detector.update_pools(self.states)
        # everything available at this block, not only what this block changed
        found = self.detector.evaluate(None, block, 0, self.prices)
        used: set[str] = set()
        disjoint = 0.0
        for o in found:  # sorted best first: greedy disjoint set of pools
            pools = {h.pool for h in o.route}
            if pools & used or not o.profit_usd:
                continue
            used |= pools
            disjoint += o.profit_usd
        best = found[0] if found else None
        symbol = {t.address: t.symbol for t in self.manifest.tokens}
        record = BlockArbitrage(
            block=block,
            opportunities=len(found),
            best_profit_usd=round(best.profit_usd or 0.0, 6) if best else 0.0,
            disjoint_profit_usd=round(disjoint, 6),
            best_route=[f"{symbol[h.token_in]}>{symbol[h.token_out]}@{h.kind}" for h in best.route]
            if best else [],
        )
        self.records.append(record)
        if self.out is not None:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            with self.out.open("a") as f:
                f.write(record.to_json() + "\n")
        return record
