"""Pool state snapshots: plain data shared by state (writer), detect and math (readers).

Kept apart from the maths (degenbot's split): a state is what the chain says at one block; the
functions in keeper.math turn it into amounts.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class V2PoolState:
    address: str
    token0: str
    token1: str
    reserve0: int
    reserve1: int
    fee: int = 3000  # hundredths of a bip; Uniswap V2 forks charge 0.3% = 3000
    block: int = 0


@dataclass(frozen=True, slots=True)
class V3PoolState:
    address: str
    token0: str
    token1: str
    fee: int  # hundredths of a bip (500, 3000, 10000)
    tick_spacing: int
    sqrt_price_x96: int
    tick: int
    liquidity: int
    # initialized ticks a swap can reach: tick -> liquidityNet (signed)
    ticks: dict[int, int] = field(default_factory=dict)
    block: int = 0


PoolState = V2PoolState | V3PoolState
