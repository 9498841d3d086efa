"""Cross-DEX spreads from pool prices (pure)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any


def spreads(pools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For each token pair quoted on two or more DEXes: each DEX's price (token1 per token0,
    best pool of the DEX) and the spread between the extremes in basis points."""
    by_pair: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
    for p in pools:
        price, dex = p.get("price"), p.get("dex")
        t0, t1 = p.get("token0"), p.get("token1")
        if not (isinstance(price, int | float) and price > 0 and dex and t0 and t1):
            continue
        if str(t0).lower() > str(t1).lower():  # one orientation per pair
            t0, t1, price = t1, t0, 1.0 / price
        quotes = by_pair[(t0, t1)]
        quotes[dex] = max(quotes.get(dex, 0.0), float(price))
    out = []
    for (t0, t1), quotes in by_pair.items():
        if len(quotes) < 2:
            continue
        lo, hi = min(quotes.values()), max(quotes.values())
        out.append({"pair": f"{t0}/{t1}", "dexes": quotes,
                    "spread_bps": round((hi - lo) / lo * 10_000, 2)})
    return sorted(out, key=lambda s: -s["spread_bps"])
