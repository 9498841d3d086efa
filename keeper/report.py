"""What the keeper tells the dashboard (pure): bus payloads for the streams prices, status and
opportunities, built from the keeper's state without I/O.

Token amounts stay decimal strings (they exceed JSON's safe integers); prices are floats because
they are for display only, never for trading decisions.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from keeper.detect.opportunity import Opportunity
from keeper.state.types import V2PoolState, V3PoolState

Q96 = 2**96


def pool_price(state: V2PoolState | V3PoolState, decimals0: int, decimals1: int) -> float | None:
    """Mid price of token0 in token1, in whole tokens (decimal-adjusted)."""
    scale = 10 ** (decimals0 - decimals1)
    if isinstance(state, V3PoolState):
        if state.sqrt_price_x96 <= 0:
            return None
        return (state.sqrt_price_x96 / Q96) ** 2 * scale
    if state.reserve0 <= 0 or state.reserve1 <= 0:
        return None
    return state.reserve1 / state.reserve0 * scale


def prices_payload(states: Iterable[V2PoolState | V3PoolState], dex_of: Mapping[str, str],
                   meta: Mapping[str, tuple[str, int] | None],
                   prices_usd: Mapping[str, float], now: float | None = None) -> dict[str, Any]:
    """Every tracked pool's mid price plus the tokens' USD prices (feeds or manifest)."""
    pools = []
    for s in states:
        m0, m1 = meta.get(s.token0), meta.get(s.token1)
        if m0 is None or m1 is None:
            continue
        row: dict[str, Any] = {
            "address": s.address, "dex": dex_of.get(s.address, "?"),
            "token0": m0[0], "token1": m1[0], "fee": s.fee,
            "price": pool_price(s, m0[1], m1[1]), "block": s.block,
            "reserve0": None, "reserve1": None, "liquidity": None, "tick": None,
        }
        if isinstance(s, V2PoolState):
            row.update(reserve0=str(s.reserve0), reserve1=str(s.reserve1))
        else:
            row.update(liquidity=str(s.liquidity), tick=s.tick)
        pools.append(row)
    tokens = [{"symbol": m[0], "address": address, "price_usd": prices_usd.get(address)}
              for address, m in meta.items() if m is not None]
    return {"tokens": tokens, "pools": pools, "ts": time.time() if now is None else now}


def opportunity_item(o: Opportunity, meta: Mapping[str, tuple[str, int] | None],
                     now: float | None = None) -> dict[str, Any]:
    """One opportunity as the dashboard's Opportunity schema has it."""
    symbols = {a: m[0] for a, m in meta.items() if m is not None}
    d = o.to_dict()
    for hop in d["route"]:
        hop["symbol_in"] = symbols.get(hop["token_in"], hop["token_in"][:8])
        hop["symbol_out"] = symbols.get(hop["token_out"], hop["token_out"][:8])
    path = [d["route"][0]["symbol_in"]] + [h["symbol_out"] for h in d["route"]]
    d.update(id=f"{o.block}-{o.cycle_id}", path="→".join(path),
             start_symbol=symbols.get(o.start_token, o.start_token[:8]),
             start_decimals=(meta.get(o.start_token) or ("", 18))[1],
             score=None, uncertainty=None, decision="detected", reason=None,
             ts=time.time() if now is None else now)
    return d


def opportunities_payload(found: Sequence[Opportunity],
                          meta: Mapping[str, tuple[str, int] | None],
                          limit: int = 20) -> dict[str, Any]:
    """The block's best opportunities (the detector sorts them by profit)."""
    now = time.time()
    return {"items": [opportunity_item(o, meta, now) for o in found[:limit]]}


def status_payload(*, head: int | None, received_at: float | None, chain_id: int,
                   pools: int, cycles: int, sync_s: float, mempool_rate: float | None,
                   paused: bool, reorgs: int = 0, reconnects: int = 0,
                   last_check: dict[str, Any] | None = None,
                   now: float | None = None) -> dict[str, Any]:
    """The keeper's heartbeat: the web app calls a keeper without one for 30 s "unknown"."""
    now = time.time() if now is None else now
    return {
        "head": head,
        "lag_s": None if received_at is None else round(max(0.0, now - received_at), 3),
        "chain_id": chain_id, "ts": now, "mempool_rate": mempool_rate,
        "keeper": {"paused": paused, "pools": pools, "cycles": cycles,
                   "sync_s": round(sync_s, 3), "reorgs": reorgs, "reconnects": reconnects,
                   "last_check": last_check},
        # the risk engine and the models report here once they run in the keeper
        "circuit_breaker": None, "models": [],
    }
