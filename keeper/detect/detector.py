"""The detector: keeps pool states, re-evaluates only the cycles a block touched.

    detector = Detector(DetectConfig(base_tokens=(weth, usdc), weth=weth, ...))
    detector.update_pools(states)                       # add or replace pool states
    opportunities = detector.evaluate(dirty, block, gas_price_wei, prices_usd)

`dirty=None` means a full rescan. Pure: no I/O; the keeper daemon feeds it states from the
chain and publishes what it returns.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np

from keeper.detect.config import DetectConfig
from keeper.detect.cycles import CycleIndex, enumerate_cycles
from keeper.detect.opportunity import Opportunity, RouteHop
from keeper.detect.rates import log_rates
from keeper.detect.route import Hop
from keeper.detect.sizing import optimal
from keeper.math.v3_swap import TickIndex
from keeper.state.types import PoolState, V2PoolState, V3PoolState

# a cycle must beat 1 by this margin in log space to be sized (float noise guard)
LOG_EPS = 1e-9


class Detector:
    def __init__(self, config: DetectConfig) -> None:
        self.cfg = config
        self.states: list[PoolState] = []
        self.position: dict[str, int] = {}
        self.tick_index: dict[int, TickIndex] = {}
        self.hop_cache: dict[int, Hop] = {}  # edge id -> Hop on the pool's current state
        self.rates = np.zeros(1, dtype=np.float64)  # 2 per pool + the pad edge (0.0)
        self.index: CycleIndex | None = None
        self.decimals: dict[str, int] = {}
        self.disabled: set[int] = set()  # pool positions never routed through (rates -inf)

    # --- state -----------------------------------------------------------------------------
    def update_pools(self, states: Iterable[PoolState]) -> list[str]:
        """Add or replace pool states; returns the addresses that changed."""
        changed = []
        grew = False
        for s in states:
            i = self.position.get(s.address)
            if i is None:
                i = len(self.states)
                self.position[s.address] = i
                self.states.append(s)
                grew = True
            elif self.states[i] == s:
                continue
            else:
                self.states[i] = s
            self.tick_index.pop(i, None)
            self.hop_cache.pop(2 * i, None)
            self.hop_cache.pop(2 * i + 1, None)
            changed.append(s.address)
        if grew:
            self.index = None  # new pools may close new cycles: rebuild on next evaluate
            self.rates = np.zeros(2 * len(self.states) + 1, dtype=np.float64)
            for i in range(len(self.states)):
                self._set_rates(i)
        else:
            for address in changed:
                self._set_rates(self.position[address])
        return changed

    def _set_rates(self, i: int) -> None:
        if i in self.disabled:  # its state still follows the chain, its edges stay closed
            self.rates[2 * i] = self.rates[2 * i + 1] = float("-inf")
        else:
            self.rates[2 * i], self.rates[2 * i + 1] = log_rates(self.states[i])

    def disable(self, address: str) -> None:
        """Never route through this pool (its creation was reorged out, or its DEX was
        disabled in the registry) until `enable`; later state updates keep it closed."""
        i = self.position.get(address)
        if i is not None:
            self.disabled.add(i)
            self._set_rates(i)

    def enable(self, address: str) -> None:
        """Route through a disabled pool again (its DEX was re-enabled)."""
        i = self.position.get(address)
        if i is not None and i in self.disabled:
            self.disabled.discard(i)
            self._set_rates(i)

    def build(self) -> CycleIndex:
        pairs = [(s.token0, s.token1) for s in self.states]
        cycles = enumerate_cycles(pairs, self.cfg.base_tokens, self.cfg.max_hops)
        self.index = CycleIndex(cycles, len(self.states), self.cfg.max_hops)
        return self.index

    @property
    def cycle_count(self) -> int:
        return len(self.index.cycles) if self.index else 0

    # --- evaluation ------------------------------------------------------------------------
    def candidates(self, dirty: Iterable[str] | None) -> np.ndarray:
        """Rows of cycles whose fee-adjusted spot-rate product exceeds 1 (vectorized)."""
        index = self.index or self.build()
        if dirty is None:
            rows = None
            edges = index.edges
        else:
            pools = [self.position[a] for a in dirty if a in self.position]
            rows = index.cycles_touching(pools)
            edges = index.edges[rows]
        score = self.rates[edges].sum(axis=1)
        hit = np.nonzero(score > LOG_EPS)[0]
        return hit if rows is None else rows[hit]

    def evaluate(self, dirty: Iterable[str] | None, block: int, gas_price_wei: int = 0,
                 prices_usd: Mapping[str, float] | None = None) -> list[Opportunity]:
        rows = self.candidates(dirty)
        found = []
        for row in rows.tolist():
            opp = self.size(row, block, gas_price_wei, prices_usd or {})
            if opp is not None and opp.profit >= self.cfg.min_profit:
                found.append(opp)
        found.sort(key=lambda o: (o.profit_usd or 0.0, o.profit), reverse=True)
        return found

    def hops(self, row: int) -> tuple[Hop, ...]:
        assert self.index is not None
        cache = self.hop_cache
        out = []
        for edge in self.index.cycles[row]:
            hop = cache.get(edge)
            if hop is None:
                hop = cache[edge] = self._hop(edge)
            out.append(hop)
        return tuple(out)

    def _hop(self, edge: int) -> Hop:
        i, zero_for_one = edge // 2, edge % 2 == 0
        s = self.states[i]
        idx = None
        if isinstance(s, V3PoolState):
            idx = self.tick_index.get(i)
            if idx is None:
                idx = self.tick_index[i] = TickIndex(s.ticks)
        return Hop(s, zero_for_one, idx)

    def size(self, row: int, block: int, gas_price_wei: int,
             prices_usd: Mapping[str, float]) -> Opportunity | None:
        hops = self.hops(row)
        x, out, crossed = optimal(hops, _probe(hops[0]))
        if x <= 0 or out <= x:
            return None
        start = hops[0].token_in
        v2_hops = sum(h.is_v2 for h in hops)
        best = None
        for source, fee in self._flash_options(hops, start, x):
            gas = self.cfg.gas.route_gas(v2_hops, len(hops) - v2_hops, crossed, source)
            cost = self._gas_in_token(gas * gas_price_wei, start, prices_usd)
            if best is None or fee + cost < best[1] + best[3]:
                best = (source, fee, gas, cost)
        if best is None:
            return None
        source, fee, gas, cost = best
        net = out - x - fee - cost
        usd = self._usd(net, start, prices_usd)
        route = tuple(RouteHop(h.state.address, "uniswap_v2" if h.is_v2 else "uniswap_v3",
                               h.token_in, h.token_out, h.state.fee) for h in hops)
        return Opportunity(row, block, start, route, x, out, out - x, source, fee, gas, cost,
                           net, usd, crossed)

    # --- costs -----------------------------------------------------------------------------
    def _flash_options(self, hops: tuple[Hop, ...], token: str,
                       amount: int) -> list[tuple[str, int]]:
        options = []
        if self.cfg.balancer_liquidity.get(token, 0) >= amount:
            options.append(("balancer", 0))
        if hops[0].is_v2:
            # the first pair lends the output first; its swap fee is already in the route
            options.append(("uniswap-v2-flashswap", 0))
        if all(h.is_v2 for h in hops):
            # the last pair lends the start token; each earlier pair pays the next one directly
            options.append(("uniswap-v2-flashswap-last", 0))
        flash = self.cfg.v3_flash_pools.get(token)
        if flash and flash[0] not in {h.state.address for h in hops}:
            fee = -(-amount * flash[1] // 1_000_000)  # the pool rounds the fee up
            options.append(("uniswap-v3-flash", fee))
        if self.cfg.aave_liquidity.get(token, 0) >= amount:
            # Aave's percentMul: amount x premium / 10,000, rounded half up
            fee = (amount * self.cfg.aave_premium_bps + 5_000) // 10_000
            options.append(("aave-v3", fee))
        return options

    def _gas_in_token(self, wei: int, token: str, prices: Mapping[str, float]) -> int:
        if wei == 0:
            return 0
        if token == self.cfg.weth:
            return wei
        eth, px = prices.get(self.cfg.weth or ""), prices.get(token)
        if not eth or not px:
            return 0  # unpriced: the risk layer must treat such opportunities with care
        decimals = self.decimals.get(token, 18)
        return int(wei * eth / px * 10 ** (decimals - 18))

    def _usd(self, amount: int, token: str, prices: Mapping[str, float]) -> float | None:
        px = prices.get(token)
        if px is None:
            return None
        return amount / 10 ** self.decimals.get(token, 18) * px


def _probe(hop: Hop) -> int:
    """A first trade size for the bracket: 0.1% of what the first pool holds near the price."""
    s = hop.state
    if isinstance(s, V2PoolState):
        return max(1, (s.reserve0 if hop.zero_for_one else s.reserve1) // 1000)
    # virtual reserves of a V3 pool: x = L / sqrtP, y = L * sqrtP
    if hop.zero_for_one:
        return max(1, (s.liquidity << 96) // max(1, s.sqrt_price_x96) // 1000)
    return max(1, s.liquidity * s.sqrt_price_x96 >> 96) // 1000
