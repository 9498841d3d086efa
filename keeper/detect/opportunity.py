"""The detector's output: one sized, costed arbitrage cycle at one block."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class RouteHop:
    pool: str
    kind: str  # "uniswap_v2" | "uniswap_v3"
    token_in: str
    token_out: str
    fee: int


@dataclass(frozen=True, slots=True)
class Opportunity:
    cycle_id: int
    block: int
    start_token: str
    route: tuple[RouteHop, ...]
    amount_in: int
    expected_out: int
    gross_profit: int  # expected_out - amount_in
    flash_source: str  # a key of keeper.onchain.route.SOURCES
    flash_fee: int
    gas_estimate: int  # gas units
    gas_cost: int  # gas_estimate x gas price, in start-token units
    profit: int  # net: gross - flash fee - gas cost, in start-token units
    profit_usd: float | None
    ticks_crossed: int = 0

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        # token amounts exceed JSON's safe integers: strings keep them exact
        for key in ("amount_in", "expected_out", "gross_profit", "flash_fee", "gas_cost",
                    "profit"):
            d[key] = str(d[key])
        d["route"] = [dict(h) for h in d["route"]]
        return d
