"""P&L from trade outcomes (pure). A trade item: {ts, pnl_usd, success, gas_eth, route, dex}."""

from __future__ import annotations

from collections import defaultdict
from typing import Any


def _num(value: Any) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def pnl_summary(trades: list[dict[str, Any]]) -> dict[str, Any]:
    """`trades` oldest first."""
    total = 0.0
    cumulative = []
    gas = 0.0
    wins = 0
    by_route: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])
    by_dex: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])
    for t in trades:
        pnl = _num(t.get("pnl_usd"))
        total += pnl
        gas += _num(t.get("gas_eth"))
        wins += bool(t.get("success"))
        cumulative.append({"ts": _num(t.get("ts")), "pnl_usd": round(total, 6)})
        for key, table in ((str(t.get("route", "?")), by_route), (str(t.get("dex", "?")),
                                                                     by_dex)):
            table[key][0] += pnl
            table[key][1] += 1
    return {
        "cumulative": cumulative,
        "success_rate": wins / len(trades) if trades else None,
        "gas_spent_eth": gas,
        "by_route": [{"route": k, "pnl_usd": v[0], "trades": v[1]} for k, v in by_route.items()],
        "by_dex": [{"dex": k, "pnl_usd": v[0], "trades": v[1]} for k, v in by_dex.items()],
    }
