"""What the detector looks for and how it prices execution (flash fees and gas)."""

from __future__ import annotations

from dataclasses import dataclass, field

# Aave V3 flashLoanSimple measured 111k above the Balancer source on the same 2-hop route
# (eth_estimateGas 289,784 -> 400,808): the Balancer part (25k) plus that difference
AAVE_FLASH_GAS = 136_000


@dataclass(frozen=True)
class GasModel:
    """Gas units per route part, calibrated from `make bench-gas` (2026-11-24, executor through
    its proxy, pairs with history): V2->V2 flash swap lent by the last pair 160,481, by the
    first pair 164,388; V2->V3 via Balancer 221,862; V2->V3->V2 via Balancer 282,535. The parts
    reproduce the first three and come within 0.5% of the fourth. Recalibrate when the
    executor changes."""

    base: int = 40_000  # intrinsic 21k + calldata + proxy + role/pause reads + balance checks
    v2_hop: int = 60_000  # listing read, reserves, token transfer, pair swap
    v3_hop: int = 96_900  # listing read, pool swap and its callback payment, no tick crossed
    v3_tick_crossed: int = 31_000
    balancer_flash: int = 25_000
    v3_flash: int = 35_000
    v2_flash_swap: int = 4_400  # the first pair lends: callback and repayment transfer
    v2_flash_swap_last: int = 500  # the last pair lends: callback; no token passes through
    aave_flash: int = AAVE_FLASH_GAS  # Aave V3 flashLoanSimple: reserve update, pull repayment

    def route_gas(self, v2_hops: int, v3_hops: int, ticks_crossed: int, flash: str) -> int:
        flash_gas = {"balancer": self.balancer_flash, "uniswap-v3-flash": self.v3_flash,
                     "uniswap-v2-flashswap": self.v2_flash_swap,
                     "uniswap-v2-flashswap-last": self.v2_flash_swap_last,
                     "aave-v3": self.aave_flash}[flash]
        return (self.base + v2_hops * self.v2_hop + v3_hops * self.v3_hop
                + ticks_crossed * self.v3_tick_crossed + flash_gas)


@dataclass(frozen=True)
class DetectConfig:
    base_tokens: tuple[str, ...]  # checksummed addresses cycles start and end in
    max_hops: int = 3
    min_profit: int = 1  # in start-token units, after fees and gas
    weth: str | None = None  # to price gas in tokens other than WETH
    gas: GasModel = field(default_factory=GasModel)
    # token -> amount the Balancer vault can lend (0 fee); absent: no Balancer loan of it
    balancer_liquidity: dict[str, int] = field(default_factory=dict)
    # token -> (pool, fee in hundredths of a bip) of the cheapest V3 pool to flash-borrow it from
    v3_flash_pools: dict[str, tuple[str, int]] = field(default_factory=dict)
    # token -> amount the Aave V3 pool can lend (its aToken's underlying balance), and the
    # premium it charges in bps (FLASHLOAN_PREMIUM_TOTAL)
    aave_liquidity: dict[str, int] = field(default_factory=dict)
    aave_premium_bps: int = 5

    def __post_init__(self) -> None:
        if not 2 <= self.max_hops <= 4:
            raise ValueError(f"max_hops must be 2..4, got {self.max_hops}")
        if not self.base_tokens:
            raise ValueError("at least one base token is needed")
